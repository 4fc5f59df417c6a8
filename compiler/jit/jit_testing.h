// Test-only hooks into the JIT (no LLVM types). Not for use outside tests/unit/jit.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/jit/jit.h"

namespace omen::jit::testing {

/// The external symbols JIT code may reference: the window kernels (by their
/// KernelInfo::symbol) and the omen_rt_* scalar functions.
std::vector<std::string> allow_list(Jit& jit);

/// Parses `llvm_ir` (LLVM assembly), adds it to `jit` exactly as a compiled rule is added
/// and returns the address of `symbol`; nullptr and *error set on any failure, including
/// a reference to a symbol that is not on the allow-list.
void* add_llvm_ir(Jit& jit, const std::string& llvm_ir, const std::string& symbol,
                  std::string* error);

/// Compiles `program` like Jit::compile, but links it in a separate JITDylib where
/// `symbols` (name -> address) take precedence over the allow-list: lets a test replace a
/// kernel (e.g. by one that throws). Never used by Omen itself.
ir::BatchFn compile_with_symbols(Jit& jit, const ir::Program& program,
                                 const std::vector<std::pair<std::string, void*>>& symbols,
                                 std::string* error);

}  // namespace omen::jit::testing
