// The IR's op table (compiler/ir/ops.def) is well formed, its facts hold for its semantics,
// and the checker reaches every built-in op through it. (Interpreter and JIT agreement on
// every op: tests/unit/jit/ops_test.cpp.)
#include <bit>
#include <cmath>
#include <limits>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "compiler/ir/ops.h"

using omen::ir::Op;
namespace ir = omen::ir;

namespace {

const std::vector<double>& values() {
  using L = std::numeric_limits<double>;
  static const std::vector<double> v = {0.0,
                                        -0.0,
                                        1.0,
                                        -1.0,
                                        0.5,
                                        -2.5,
                                        3.0,
                                        1e308,
                                        -L::max(),
                                        L::min(),
                                        L::denorm_min(),
                                        L::infinity(),
                                        -L::infinity(),
                                        L::quiet_NaN(),
                                        -L::quiet_NaN(),
                                        710.0,
                                        0.1};
  return v;
}

}  // namespace

TEST_CASE("the op table is indexed by Op and its names are unique", "[ir][ops]") {
  REQUIRE(ir::kNumOps == std::size(ir::kOps));
  std::set<std::string> names;
  for (size_t i = 0; i < ir::kNumOps; ++i) {
    const ir::OpInfo& info = ir::kOps[i];
    INFO(info.name);
    CHECK(static_cast<size_t>(info.op) == i);
    CHECK(&ir::op_info(info.op) == &info);
    CHECK(std::string(ir::name(info.op)) == info.name);
    CHECK(ir::arity(info.op) == info.arity);
    CHECK(names.insert(info.name).second);
    if (info.scalar) {
      CHECK(info.arity >= 1);
      CHECK(info.arity <= 3);
    } else {
      CHECK(info.arity <= 1);
      CHECK(info.surface == ir::OpSurface::Internal);
    }
  }
  // Malformed IR (an opcode past the table) has a name for error messages, not UB.
  CHECK(std::string(ir::name(static_cast<Op>(200))) == "?");
  CHECK(ir::arity(static_cast<Op>(200)) == 0);
}

TEST_CASE("scalar ops: Bool results are exactly 0 or 1, only operands up to the arity count",
          "[ir][ops]") {
  for (const ir::OpInfo& info : ir::kOps) {
    if (!info.scalar) continue;
    INFO(info.name);
    for (double a : values())
      for (double b : values())
        for (double c : values()) {
          const double v = ir::eval_scalar(info.op, a, b, c);
          if (info.result == ir::OpResult::Bool) {
            INFO(a << " " << b);
            REQUIRE((std::bit_cast<uint64_t>(v) == std::bit_cast<uint64_t>(1.0) ||
                     std::bit_cast<uint64_t>(v) == std::bit_cast<uint64_t>(0.0)));
          }
          // An operand past the arity is ignored: replacing it changes no bit.
          const double b2 = info.arity >= 2 ? b : 12345.0;
          const double c2 = info.arity >= 3 ? c : -7.0;
          const double w = ir::eval_scalar(info.op, a, b2, c2);
          REQUIRE((std::bit_cast<uint64_t>(v) == std::bit_cast<uint64_t>(w) ||
                   (std::isnan(v) && std::isnan(w))));
        }
  }
}

TEST_CASE("eval_scalar is the table's expression; special ops are not evaluated", "[ir][ops]") {
  CHECK(ir::eval_scalar(Op::Sub, 5, 3, 0) == 2);
  CHECK(ir::eval_scalar(Op::Select, 0, 1, 2) == 2);
  CHECK(ir::eval_scalar(Op::Select, std::nan(""), 1, 2) == 1);  // NaN is true
  CHECK(ir::eval_scalar(Op::Ne, std::nan(""), 1, 0) == 0);      // ordered
  CHECK(std::isnan(ir::eval_scalar(Op::Min, std::nan(""), 1, 0)));
  CHECK(std::signbit(ir::eval_scalar(Op::Neg, 0.0, 0, 0)));
  for (const ir::OpInfo& info : ir::kOps)
    if (!info.scalar) CHECK(std::isnan(ir::eval_scalar(info.op, 1, 2, 3)));
}

TEST_CASE("every built-in op of the table is the Omen function of its name", "[ir][ops]") {
  size_t builtins = 0;
  for (const ir::OpInfo& info : ir::kOps) {
    if (info.surface != ir::OpSurface::Builtin) {
      CHECK(!ir::builtin_op(info.name));
      continue;
    }
    ++builtins;
    INFO(info.name);
    REQUIRE(ir::builtin_op(info.name) == info.op);
    // `name(x, x, ...)` over a series lowers to the op; over constants it folds to the
    // table's expression.
    std::string args = "x", consts = "0.25";
    for (int i = 1; i < info.arity; ++i) {
      args += ", x";
      consts += ", 2";
    }
    const bool truth = info.result == ir::OpResult::Bool;
    const std::string fn = info.name;
    const std::string src =
        "series x = metric(\"x\")\n"
        "rule R { on x when " +
        fn + "(" + args + ")" + (truth ? " == true" : " > 0") +
        " }\n"
        "const K = " +
        fn + "(" + consts +
        ")\n"
        "rule F { on x when " +
        (truth ? "(x > 0)" : "x") + " == K }\n";
    omen::Compilation c = omen::compile({{"builtin.omen", src}});
    INFO(src);
    REQUIRE(c.ok());
    REQUIRE(c.module->rules.size() == 2);
    bool lowered = false;
    for (const ir::Instr& in : c.module->rules[0].program.code) lowered |= in.op == info.op;
    CHECK(lowered);
    double folded = std::nan("");  // K: the last constant of F
    for (const ir::Instr& in : c.module->rules[1].program.code) {
      CHECK(in.op != info.op);
      if (in.op == Op::Const) folded = in.imm;
    }
    const double want = ir::eval_scalar(info.op, 0.25, 2, 2);
    CHECK(std::bit_cast<uint64_t>(folded) == std::bit_cast<uint64_t>(want));
  }
  CHECK(builtins == 8);  // abs sqrt exp log floor ceil isnan pow
  // Overloaded with windows or not a function at all: chosen by the checker by hand.
  CHECK(!ir::builtin_op("min"));
  CHECK(!ir::builtin_op("max"));
  CHECK(!ir::builtin_op("add"));
  CHECK(!ir::builtin_op("clamp"));
}
