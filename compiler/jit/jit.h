// Tier 1: the LLVM ORC JIT back end. Compiles an ir::Program to a native batch function
// with the same calling convention and the same results, bit for bit, as the interpreter.
// No LLVM type appears here: LLVM headers stay inside compiler/jit/*.cpp.
//
// The back end is a plugin, libomen_jit.so (library omen_jit_plugin), loaded on first use by
// Jit::create (loader.cpp, library omen_jit_loader): a process that never compiles a rule
// never loads LLVM. create_linked() is the back end itself, for code linked with omen_jit
// (the plugin, the JIT's unit tests and benchmarks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace omen::jit {

struct JitOptions {
  /// 0: no IR passes, fast instruction selection. 1, 2: a short function pipeline
  /// (instcombine, early CSE, simplifycfg; optimize.cpp) and LLVM code generation at
  /// "less" / "default". 3: LLVM's O3 module pipeline and "aggressive" code generation.
  int opt_level = 2;
  /// Identical programs (same code, inputs, windows and outputs; the name does not count)
  /// are compiled once per Jit and share one native function.
  bool cache = true;
};

/// Per-compilation figures, for benchmarks and `omen explain`.
struct CompileStats {
  double build_ms = 0;     // IR construction
  double optimize_ms = 0;  // pass pipeline
  double codegen_ms = 0;   // lookup (machine code generation + linking)
  size_t compiled = 0;     // programs compiled to new native code
  size_t cached = 0;       // programs answered from the cache (or a duplicate in the batch)
  size_t modules = 0;      // LLVM modules compiled
};

/// One ORC LLJIT instance. Compiled functions stay valid until the Jit is destroyed.
/// Thread-safe: compile() may be called from several threads (it serializes internally).
/// JIT code can only call the functions on Omen's allow-list (window kernels and the
/// omen_rt_* scalar functions); it never resolves arbitrary process symbols.
class Jit {
 public:
  /// Loads the plugin (once per process) and creates a Jit in it. nullptr and *error set
  /// if the plugin cannot be found or loaded (available() says why) or if LLVM cannot
  /// target this host.
  static std::unique_ptr<Jit> create(const JitOptions& options, std::string* error);
  virtual ~Jit() = default;

  /// Compiles `program`; nullptr and *error set on failure (an internal error, never a
  /// user error: programs reaching here are already checked).
  virtual ir::BatchFn compile(const ir::Program& program, std::string* error,
                              CompileStats* stats = nullptr) = 0;

  /// Compiles several programs at once: as few LLVM modules as possible, so that the
  /// fixed cost of a module (code generation setup, linking, memory pages) is shared.
  /// result[i] is programs[i]'s function, or nullptr with (*errors)[i] set (errors is
  /// resized to programs.size()); a failure affects only its own program. Same native code
  /// and results as compile() of each program.
  virtual std::vector<ir::BatchFn> compile_batch(const std::vector<const ir::Program*>& programs,
                                                 std::vector<std::string>* errors,
                                                 CompileStats* stats = nullptr) = 0;

  /// The LLVM IR text of `program`, before (optimized=false) or after the pass pipeline.
  virtual std::string dump_llvm(const ir::Program& program, bool optimized) = 0;
};

/// Whether the plugin can be loaded (it is, on the first call); *why says why not. Searched,
/// first match wins: $OMEN_JIT_LIBRARY (a path; if set, nothing else is tried), then
/// libomen_jit.so in the directory of the running executable, in <exe dir>/../<libdir>/omen,
/// by name (the executable's RUNPATH, LD_LIBRARY_PATH, the linker cache), and in the
/// install directory <prefix>/<libdir>/omen.
bool available(std::string* why = nullptr);
/// The file the plugin was loaded from ("" if it was not).
std::string plugin_path();

/// The LLVM back end, linked in (library omen_jit): no plugin involved. JIT code may call
/// the functions of runtime_symbols() (plugin.h). nullptr and *error set if LLVM cannot
/// target this host.
std::unique_ptr<Jit> create_linked(const JitOptions& options, std::string* error);

}  // namespace omen::jit
