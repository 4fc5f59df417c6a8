// Differential-testing harness: runs one ir::Program through the interpreter (the
// reference) and through JIT code, over the same batches, each tier with its own window
// states, and compares the outputs bit for bit.
//
// "Bit for bit" except that any NaN equals any NaN: LLVM constant-folds operations whose
// operands are constants, and APFloat's NaN results (e.g. 0 * inf -> +qNaN 0x7ff8...)
// differ in sign/payload from what x86 produces at run time (the "default NaN"
// 0xfff8...). The IR never observes NaN bits (isnan, ordered comparisons, and kernels
// treat every NaN as missing), so the payload carries no meaning in Omen.
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

inline bool same_value(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

/// Runs `p` over `batch` split into consecutive chunks of the given sizes (their sum must
/// be batch.size()); window state carries over from chunk to chunk. fn == nullptr runs
/// the interpreter.
Outputs run(const ir::Program& p, ir::BatchFn fn, const Batch& batch,
            const std::vector<size_t>& chunks);

/// Empty string if the two tiers agree on every output of every row; otherwise a report
/// of the first difference, with the program listing.
std::string diff(const ir::Program& p, const Batch& batch, const Outputs& ref,
                 const Outputs& jit);

/// Compiles `p`, runs both tiers with random chunking and returns diff(); a failed
/// compilation is reported as a difference too.
std::string check_program(jit::Jit& jit, const ir::Program& p, const Batch& batch,
                          std::mt19937_64& rng);

/// Values that stress IEEE corner cases: ±0, ±inf, NaNs (several payloads), subnormals,
/// extremes, small integers, booleans, ordinary reals.
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
