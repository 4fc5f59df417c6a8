#include "compiler/ir/ir.h"

#include <fmt/format.h>

namespace omen::ir {

std::string to_string(const Program& p) {
  std::string out =
      fmt::format("program {} (inputs {}, windows {})\n", p.name, p.n_inputs, p.windows.size());
  for (size_t i = 0; i < p.windows.size(); ++i) {
    const auto& w = p.windows[i];
    const kernels::KernelInfo& info = kernels::kernel_info(w.kind);
    std::string params;  // every constant parameter (the listing is also the reload fingerprint)
    for (size_t k = 0; k < info.n_params; ++k)
      params += fmt::format(", {}={}", info.params[k].name, w.arg(k));
    out += fmt::format("  window w{} = {}({}ms{})\n", i, info.name, w.width_ms, params);
  }
  for (size_t i = 0; i < p.code.size(); ++i) {
    const Instr& in = p.code[i];
    std::string args;
    switch (in.op) {
      case Op::Const:
        args = fmt::format("{}", in.imm);
        break;
      case Op::Input:
        args = fmt::format("#{}", in.a);
        break;
      case Op::Time:
        break;
      case Op::Window:
        args = fmt::format("w{}, %{}", in.slot, in.a);
        break;
      case Op::WindowRead: {
        const kernels::KernelInfo& info =
            kernels::kernel_info(static_cast<kernels::WindowKind>(in.b));
        args = fmt::format("w{} {} after %{}", in.slot, info.name, in.a);
        if (info.n_params) args += fmt::format(", {}={}", info.params[0].name, in.imm);
        break;
      }
      default: {
        int n = arity(in.op);
        if (n >= 1) args = fmt::format("%{}", in.a);
        if (n >= 2) args += fmt::format(", %{}", in.b);
        if (n >= 3) args += fmt::format(", %{}", in.c);
      }
    }
    out += fmt::format("  %{} = {} {}\n", i, name(in.op), args);
  }
  out += "  outputs:";
  for (size_t i = 0; i < p.outputs.size(); ++i)
    out += fmt::format(" {}%{}", i == 0 ? "cond=" : "", p.outputs[i]);
  out += "\n";
  return out;
}

}  // namespace omen::ir
