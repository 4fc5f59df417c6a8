// Differential-testing harness: runs one ir::Program through the interpreter (the
// reference) and through JIT code, over the same batches, each tier with its own window
// states, and compares the outputs bit for bit.
//
// "Bit for bit" except that any NaN equals any NaN. When both operands of an x86 add/mul
// are NaN, the result is the first source's NaN, and both GCC (interpreter) and LLVM (JIT)
// commute operands of commutative ops freely: a NaN's sign and payload depend on register
// allocation, in either tier. (Measured on every op over the corner values: exact bits
// differ only for add and mul with two NaN operands of opposite sign.)
// The IR never observes NaN bits (isnan, ordered comparisons; kernels treat any NaN as
// missing); only a formatted message could ("nan" vs "-nan"), see the JIT's report.
// All-constant instructions are folded by the JIT with the interpreter's own expressions
// (ir::eval_scalar, from compiler/ir/ops.def), not by LLVM's APFloat, whose NaNs are +NaN
// where x86 gives -NaN.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"
#include "compiler/ir/ir.h"
#include "compiler/jit/jit.h"

namespace omen::jit_test {

/// Ticks and input columns, all of the same length.
struct Batch {
  std::vector<int64_t> ts;
  std::vector<std::vector<double>> cols;
  size_t size() const { return ts.size(); }
};

/// outs[o][row]
using Outputs = std::vector<std::vector<double>>;

/// Same bits; with exact_nan == false, any NaN also equals any NaN.
inline bool same_value(double a, double b, bool exact_nan = false) {
  if (!exact_nan && std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

/// Runs `p` over `batch` split into consecutive chunks of the given sizes (their sum must
/// be batch.size()); window state carries over from chunk to chunk. fn == nullptr runs
/// the interpreter.
Outputs run(const ir::Program& p, ir::BatchFn fn, const Batch& batch,
            const std::vector<size_t>& chunks);

/// Empty string if the two tiers agree on every output of every row; otherwise a report
/// of the first difference, with the program listing.
std::string diff(const ir::Program& p, const Batch& batch, const Outputs& ref, const Outputs& jit,
                 bool exact_nan = false);

/// Compiles `p`, runs both tiers with random chunking and returns diff(); a failed
/// compilation is reported as a difference too.
std::string check_program(jit::Jit& jit, const ir::Program& p, const Batch& batch,
                          std::mt19937_64& rng, bool exact_nan = false);

/// Values that stress IEEE corner cases: ±0, ±inf, NaNs (both signs, payloads), subnormals,
/// the extreme normals, huge and tiny values, integers at the edge of f64's precision,
/// halves, values where exp overflows or underflows, ordinary reals.
const std::vector<double>& special_values();

/// One of special_values(), a small integer (booleans too), or a random real of any scale.
double special_value(std::mt19937_64& rng);

/// A batch of n rows for n_inputs columns; ticks strictly increasing from `t0` ms.
Batch random_batch(std::mt19937_64& rng, uint32_t n_inputs, size_t n, int64_t t0);

struct GenOptions {
  uint32_t max_inputs = 4;
  uint32_t max_code = 24;
  bool windows = true;
};

/// A random well-formed program: a random DAG over every op.
ir::Program random_program(std::mt19937_64& rng, const GenOptions& opts, const std::string& name);

/// Concatenates independent programs into one (inputs, windows and outputs appended), so
/// that many random programs cost one compilation. `first_output[i]` receives where the
/// outputs of parts[i] start.
ir::Program merge(const std::vector<ir::Program>& parts, std::vector<size_t>* first_output);

/// The batch for a merged program: the columns of each part's batch side by side (all
/// parts share ticks).
Batch merge_batches(const std::vector<Batch>& parts);

}  // namespace omen::jit_test
