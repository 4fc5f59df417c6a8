// The allow-list of JIT code: the window kernels (from the kernel table) and the omen_rt_*
// scalar functions, with their addresses in this process. No LLVM here: the host builds
// this list and hands it to the plugin (plugin.h).
#include "compiler/jit/plugin.h"
#include "core/kernels/scalar.h"
#include "core/kernels/window.h"

namespace omen::jit {

std::vector<RuntimeSymbol> runtime_symbols() {
  std::vector<RuntimeSymbol> out;
  auto add = [&out](const char* name, auto* fn) {
    out.push_back({name, reinterpret_cast<void*>(fn)});
  };
  for (size_t k = 0; k < kernels::kNumWindowKinds; ++k) {
    const kernels::KernelInfo& info = kernels::kernel_info(static_cast<kernels::WindowKind>(k));
    add(info.symbol, info.push);
    if (info.read) add(info.read_symbol, info.read);
  }
  add("omen_rt_exp", &omen_rt_exp);
  add("omen_rt_log", &omen_rt_log);
  add("omen_rt_pow", &omen_rt_pow);
  add("omen_rt_fmod", &omen_rt_fmod);
  return out;
}

}  // namespace omen::jit
