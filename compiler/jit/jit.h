// Tier 1: the LLVM ORC JIT back end. Compiles an ir::Program to a native batch function
// with the same calling convention and the same results, bit for bit, as the interpreter.
// No LLVM type appears here: LLVM headers stay inside compiler/jit/*.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "compiler/ir/ir.h"

namespace omen::jit {

struct JitOptions {
  int opt_level = 2;  // 0..3, the LLVM pass pipeline level
};

/// Per-compilation figures, for benchmarks and `omen explain`.
struct CompileStats {
  double build_ms = 0;     // IR construction
  double optimize_ms = 0;  // pass pipeline
  double codegen_ms = 0;   // lookup (machine code generation + linking)
};

/// One ORC LLJIT instance. Compiled functions stay valid until the Jit is destroyed.
/// Thread-safe: compile() may be called from several threads (it serializes internally).
/// JIT code can only call the functions on Omen's allow-list (window kernels and the
/// omen_rt_* scalar functions); it never resolves arbitrary process symbols.
class Jit {
 public:
  /// nullptr and *error set if LLVM cannot target this host.
  static std::unique_ptr<Jit> create(const JitOptions& options, std::string* error);
  virtual ~Jit() = default;

  /// Compiles `program`; nullptr and *error set on failure (an internal error, never a
  /// user error: programs reaching here are already checked).
  virtual ir::BatchFn compile(const ir::Program& program, std::string* error,
                              CompileStats* stats = nullptr) = 0;

  /// The LLVM IR text of `program`, before (optimized=false) or after the pass pipeline.
  virtual std::string dump_llvm(const ir::Program& program, bool optimized) = 0;
};

}  // namespace omen::jit
