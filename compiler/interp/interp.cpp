#include "compiler/interp/interp.h"

namespace omen::interp {

namespace {

using ir::Op;

// What a special op (ops.def, OMEN_IR_SPECIAL) may read besides its instruction.
struct Row {
  const ir::Program& p;
  const ir::BatchArgs& args;
  uint64_t row;
  int64_t t;        // args.ts[row]
  const double* v;  // the values of the instructions before this one
};

template <Op>
constexpr bool kNoCase = false;

// One specialization per special op; an op added to ops.def without one fails here.
template <Op op>
double special(const Row&, const ir::Instr&) {
  static_assert(kNoCase<op>, "an IR op of compiler/ir/ops.def has no interpreter case");
  return 0.0;
}

template <>
double special<Op::Const>(const Row&, const ir::Instr& in) {
  return in.imm;
}

template <>
double special<Op::Input>(const Row& r, const ir::Instr& in) {
  return r.args.cols[in.a][r.row];
}

template <>
double special<Op::Time>(const Row& r, const ir::Instr&) {
  return static_cast<double>(r.t) / 1000.0;
}

template <>
double special<Op::Window>(const Row& r, const ir::Instr& in) {
  const auto& info = kernels::kernel_info(r.p.windows[in.slot].kind);
  return info.push(r.args.states[in.slot], r.t, r.v[in.a]);
}

template <>
double special<Op::WindowRead>(const Row& r, const ir::Instr& in) {
  const auto& info = kernels::kernel_info(static_cast<kernels::WindowKind>(in.b));
  return info.read(r.args.states[in.slot], in.imm);
}

}  // namespace

void run_batch(const ir::Program& p, const ir::BatchArgs& args, double* v) {
  const size_t n_code = p.code.size();
  const size_t n_out = p.outputs.size();
  for (uint64_t row = 0; row < args.n; ++row) {
    const Row r{p, args, row, args.ts[row], v};
    for (size_t i = 0; i < n_code; ++i) {
      const ir::Instr& in = p.code[i];
      // One case per op of the table: scalar ops run their ops.def expression inline.
      switch (in.op) {
#define OMEN_IR_SPECIAL(Name, spelling, arity) \
  case Op::Name:                               \
    v[i] = special<Op::Name>(r, in);           \
    break;
#define OMEN_IR_SCALAR(Name, spelling, arity, result, surface, expr)                            \
  case Op::Name:                                                                                \
    v[i] = ir::scalar::Name(v[in.a], (arity) > 1 ? v[in.b] : 0.0, (arity) > 2 ? v[in.c] : 0.0); \
    break;
#include "compiler/ir/ops.def"
      }
    }
    for (size_t o = 0; o < n_out; ++o) args.outs[o][row] = v[p.outputs[o]];
  }
}

}  // namespace omen::interp
