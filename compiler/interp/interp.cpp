#include "compiler/interp/interp.h"

#include <cmath>
#include <limits>

namespace omen::interp {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline double b2d(bool v) {
  return v ? 1.0 : 0.0;
}
}  // namespace

double eval_scalar(ir::Op op, double a, double b, double c) {
  using ir::Op;
  switch (op) {
    case Op::Neg:
      return -a;
    case Op::Not:
      return b2d(a == 0.0);
    case Op::Abs:
      return std::fabs(a);
    case Op::Sqrt:
      return std::sqrt(a);
    case Op::Exp:
      return omen_rt_exp(a);
    case Op::Log:
      return omen_rt_log(a);
    case Op::Floor:
      return std::floor(a);
    case Op::Ceil:
      return std::ceil(a);
    case Op::IsNaN:
      return b2d(std::isnan(a));
    case Op::Add:
      return a + b;
    case Op::Sub:
      return a - b;
    case Op::Mul:
      return a * b;
    case Op::Div:
      return a / b;
    case Op::Mod:
      return omen_rt_fmod(a, b);
    case Op::Pow:
      return omen_rt_pow(a, b);
    case Op::Min:
      return (std::isnan(a) || std::isnan(b)) ? kNaN : (b < a ? b : a);
    case Op::Max:
      return (std::isnan(a) || std::isnan(b)) ? kNaN : (b > a ? b : a);
    case Op::Lt:
      return b2d(a < b);
    case Op::Le:
      return b2d(a <= b);
    case Op::Gt:
      return b2d(a > b);
    case Op::Ge:
      return b2d(a >= b);
    case Op::Eq:
      return b2d(a == b);
    case Op::Ne:
      return b2d(!std::isnan(a) && !std::isnan(b) && a != b);
    case Op::And:
      return b2d(a != 0.0 && b != 0.0);
    case Op::Or:
      return b2d(a != 0.0 || b != 0.0);
    case Op::Select:
      return a != 0.0 ? b : c;
    case Op::Const:
    case Op::Input:
    case Op::Time:
    case Op::Window:
    case Op::WindowRead:
      break;
  }
  return kNaN;
}

void run_batch(const ir::Program& p, const ir::BatchArgs& args, double* v) {
  using ir::Op;
  const size_t n_code = p.code.size();
  const size_t n_out = p.outputs.size();
  for (uint64_t row = 0; row < args.n; ++row) {
    const int64_t t = args.ts[row];
    for (size_t i = 0; i < n_code; ++i) {
      const ir::Instr& in = p.code[i];
      switch (in.op) {
        case Op::Const:
          v[i] = in.imm;
          break;
        case Op::Input:
          v[i] = args.cols[in.a][row];
          break;
        case Op::Time:
          v[i] = static_cast<double>(t) / 1000.0;
          break;
        case Op::Window: {
          const auto& info = kernels::kernel_info(p.windows[in.slot].kind);
          v[i] = info.push(args.states[in.slot], t, v[in.a]);
          break;
        }
        case Op::WindowRead: {
          const auto& info = kernels::kernel_info(static_cast<kernels::WindowKind>(in.b));
          v[i] = info.read(args.states[in.slot], in.imm);
          break;
        }
        default:
          v[i] = eval_scalar(in.op, v[in.a], v[in.b], v[in.c]);
      }
    }
    for (size_t o = 0; o < n_out; ++o) args.outs[o][row] = v[p.outputs[o]];
  }
}

}  // namespace omen::interp
