// Private to compiler/jit: lowering of one ir::Program to an LLVM module holding one
// batch function, and the pass pipeline run on it. LLVM types are fine here: this header
// is included only by compiler/jit/*.cpp.
#pragma once

#include <memory>
#include <string>

#include "compiler/ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class TargetLibraryInfoImpl;
}  // namespace llvm

namespace omen::jit {

/// Checks what the code generator relies on (operands name earlier values, inputs, slots,
/// kinds and outputs in range). An IR that fails this is a compiler bug upstream; the JIT
/// reports it instead of emitting out-of-bounds loads.
bool validate(const ir::Program& program, std::string* error);

/// An empty module with the target triple and data layout of `tm`.
std::unique_ptr<llvm::Module> new_module(const std::string& name, llvm::LLVMContext& ctx,
                                         const llvm::TargetMachine& tm);

/// Adds `void fn_name(const BatchArgs*)` for a validated program to `module` (several
/// programs may share one module; their kernel and omen_rt_* declarations are shared).
void add_function(const ir::Program& program, const std::string& fn_name, llvm::Module& module);

/// new_module + add_function: a module holding the one function of `program`.
std::unique_ptr<llvm::Module> build_module(const ir::Program& program, const std::string& fn_name,
                                           llvm::LLVMContext& ctx, const llvm::TargetMachine& tm);

/// Runs the new-pass-manager default pipeline for `opt_level` (0..3). `tlii` declares
/// every library function unavailable, so the optimizer neither folds nor introduces libm
/// or libc calls (JIT code may only call allow-listed symbols).
void optimize_module(llvm::Module& module, llvm::TargetMachine& tm,
                     const llvm::TargetLibraryInfoImpl& tlii, int opt_level);

}  // namespace omen::jit
