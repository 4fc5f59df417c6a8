// The JIT (tier 1) as a plugin: LLVM lives only in libomen_jit.so, which the host (the
// `omen` command, an embedding service) loads with dlopen on first use (loader.cpp). Both
// sides include this header; no LLVM type appears here.
//
// The plugin exports one C symbol, kPluginEntry, returning a PluginApi. The host hands it
// the addresses of the functions JIT code may call (the window kernels and the omen_rt_*
// functions, runtime_symbols()), so native code calls the host's own kernels, exactly the
// ones the interpreter calls: one copy of the kernels per process.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/jit/jit.h"

namespace omen::jit {

/// A function JIT code may reference, by its C symbol.
struct RuntimeSymbol {
  const char* name;
  void* address;
};

/// The allow-list of this process: one entry per kernel push function, per kernel read
/// function and per omen_rt_* function (symbols.cpp, no LLVM).
std::vector<RuntimeSymbol> runtime_symbols();

/// What the plugin exports. Objects cross the boundary as C++ types (ir::Program,
/// std::string), so the host and the plugin must come from the same build: build_key
/// checks that before anything else is used.
struct PluginApi {
  /// plugin_build_key() as compiled into the plugin.
  const char* build_key;
  /// A new Jit whose code may call exactly `symbols`; nullptr and *error on failure.
  /// The host owns the result (delete through the virtual destructor).
  Jit* (*create)(const JitOptions& options, const RuntimeSymbol* symbols, size_t n_symbols,
                 std::string* error);
};

/// The back end's factory (jit.cpp, library omen_jit): what the plugin exports as
/// PluginApi::create, and what create_linked() calls with this process's runtime_symbols().
Jit* create_with_symbols(const JitOptions& options, const RuntimeSymbol* symbols, size_t n_symbols,
                         std::string* error);

/// The exported entry point: `extern "C" const PluginApi* omen_jit_plugin_v1(void)`.
inline constexpr const char* kPluginEntry = "omen_jit_plugin_v1";
using PluginEntryFn = const PluginApi* (*)();

/// The file name of the plugin (next to the `omen` binary in a build tree).
inline constexpr const char* kPluginFile = "libomen_jit.so";

/// Identifies a build as far as the plugin boundary is concerned: Omen's version, the
/// compiler, and the layout of every type that crosses it. A plugin from another build
/// (another version, an IR with other ops or fields) is refused with a clear error.
inline std::string plugin_build_key() {
  auto n = [](size_t v) { return std::to_string(v); };
  return std::string("omen ") + OMEN_JIT_VERSION + "; " + __VERSION__ + "; program " +
         n(sizeof(ir::Program)) + ", instr " + n(sizeof(ir::Instr)) + ", args " +
         n(sizeof(ir::BatchArgs)) + ", window " + n(sizeof(kernels::WindowSpec)) + ", ops " +
         n(ir::kNumOps) + ", kernels " + n(kernels::kNumWindowKinds) + ", options " +
         n(sizeof(JitOptions)) + ", stats " + n(sizeof(CompileStats)) + ", string " +
         n(sizeof(std::string));
}

}  // namespace omen::jit
