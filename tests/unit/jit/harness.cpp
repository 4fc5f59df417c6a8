#include "harness.h"

#include <cinttypes>
#include <cstdio>
#include <limits>

#include "core/kernels/window.h"

namespace omen::jit_test {

namespace {

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g (0x%016" PRIx64 ")", v, std::bit_cast<uint64_t>(v));
  return buf;
}

std::vector<size_t> random_chunks(std::mt19937_64& rng, size_t n) {
  std::vector<size_t> out;
  size_t left = n;
  while (left > 0) {
    size_t k;
    switch (rng() % 4) {
      case 0:
        k = 0;
        break;  // empty batches happen (no ticks in a slice)
      case 1:
        k = 1;
        break;
      default:
        k = 1 + rng() % (left + 1);
        break;
    }
    k = std::min(k, left);
    out.push_back(k);
    left -= k;
  }
  if (out.empty() || rng() % 3 == 0) out.push_back(0);
  return out;
}

}  // namespace

Outputs run(const ir::Program& p, ir::BatchFn fn, const Batch& batch,
            const std::vector<size_t>& chunks) {
  std::vector<kernels::WindowState> states;
  std::vector<void*> state_ptrs;
  for (const auto& spec : p.windows) states.emplace_back(spec);
  for (const auto& s : states) state_ptrs.push_back(s.get());
  Outputs outs(p.outputs.size(), std::vector<double>(batch.size(), -12345.0));
  std::vector<double> scratch(p.code.size());
  size_t row = 0;
  for (size_t n : chunks) {
    std::vector<const double*> cols;
    for (const auto& c : batch.cols) cols.push_back(c.data() + row);
    std::vector<double*> out_ptrs;
    for (auto& o : outs) out_ptrs.push_back(o.data() + row);
    ir::BatchArgs args{batch.ts.data() + row, cols.data(), state_ptrs.data(), out_ptrs.data(), n};
    if (fn)
      fn(&args);
    else
      interp::run_batch(p, args, scratch.data());
    row += n;
  }
  return outs;
}

std::string diff(const ir::Program& p, const Batch& batch, const Outputs& ref, const Outputs& jit,
                 bool exact_nan) {
  for (size_t o = 0; o < ref.size(); ++o) {
    for (size_t r = 0; r < batch.size(); ++r) {
      if (same_value(ref[o][r], jit[o][r], exact_nan)) continue;
      std::string msg = "output " + std::to_string(o) + " (%" + std::to_string(p.outputs[o]) +
                        ") row " + std::to_string(r) + ": interp " + hex(ref[o][r]) + ", jit " +
                        hex(jit[o][r]) + "\ninputs:";
      for (const auto& c : batch.cols) {
        msg += ' ';
        msg += hex(c[r]);
      }
      msg += "\nt = " + std::to_string(batch.ts[r]) + "\n" + ir::to_string(p);
      return msg;
    }
  }
  return {};
}

std::string check_program(jit::Jit& jit, const ir::Program& p, const Batch& batch,
                          std::mt19937_64& rng, bool exact_nan) {
  std::string error;
  ir::BatchFn fn = jit.compile(p, &error);
  if (!fn) return "compile failed: " + error + "\n" + ir::to_string(p);
  std::vector<size_t> chunks = random_chunks(rng, batch.size());
  Outputs ref = run(p, nullptr, batch, chunks);
  Outputs got = run(p, fn, batch, chunks);
  return diff(p, batch, ref, got, exact_nan);
}

const std::vector<double>& special_values() {
  using L = std::numeric_limits<double>;
  static const std::vector<double> v = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      0.5,
      -0.5,
      2.0,
      3.0,
      -7.0,
      10.0,
      1000.0,
      0.1,
      1.0 / 3.0,
      L::infinity(),
      -L::infinity(),
      L::quiet_NaN(),
      -L::quiet_NaN(),
      std::bit_cast<double>(uint64_t{0x7ff8000000000123}),  // NaN with a payload
      std::bit_cast<double>(uint64_t{0xfff8dead00000000}),
      L::max(),
      -L::max(),
      L::min(),
      -L::min(),
      L::denorm_min(),
      -L::denorm_min(),
      L::min() - L::denorm_min(),  // the largest subnormal
      1e308,
      -1e308,
      1e-308,
      4.9e-320,
      9007199254740993.0,
      4503599627370496.5,
      0.49999999999999994,
      2.5,
      -2.5,
      1e15 + 0.5,
      710.0,
      -745.0,
      1e-10,
  };
  return v;
}

double special_value(std::mt19937_64& rng) {
  const std::vector<double>& special = special_values();
  switch (rng() % 6) {
    case 0:
    case 1:
      return special[rng() % special.size()];
    case 2:
      return static_cast<double>(static_cast<int>(rng() % 7) - 3);  // small ints, booleans
    case 3:
      return std::uniform_real_distribution<double>(-100, 100)(rng);
    case 4:
      return std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng),
                        static_cast<int>(rng() % 2100) - 1075);
    default:
      return static_cast<double>(rng() % 2);
  }
}

Batch random_batch(std::mt19937_64& rng, uint32_t n_inputs, size_t n, int64_t t0) {
  Batch b;
  int64_t t = t0;
  for (size_t i = 0; i < n; ++i) {
    b.ts.push_back(t);
    t += (rng() % 4 == 0) ? 1 : 1 + static_cast<int64_t>(rng() % 5000);
  }
  b.cols.assign(n_inputs, std::vector<double>(n));
  for (auto& c : b.cols) {
    // Some columns are smooth series (so windows see realistic data), some are chaos.
    bool smooth = rng() % 2;
    double x = std::uniform_real_distribution<double>(-10, 10)(rng);
    for (size_t i = 0; i < n; ++i) {
      x += std::uniform_real_distribution<double>(-1, 1)(rng);
      c[i] = (smooth && rng() % 8 != 0) ? x : special_value(rng);
    }
  }
  return b;
}

ir::Program random_program(std::mt19937_64& rng, const GenOptions& opts, const std::string& name) {
  using ir::Op;
  ir::Program p;
  p.name = name;
  p.n_inputs = static_cast<uint32_t>(rng() % (opts.max_inputs + 1));
  size_t n_code = 1 + rng() % opts.max_code;
  auto operand = [&](size_t i) -> uint32_t {
    // Mostly recent values, so the DAG is deep rather than a fan of leaves.
    if (rng() % 3) return static_cast<uint32_t>(i - 1 - rng() % std::min<size_t>(i, 4));
    return static_cast<uint32_t>(rng() % i);
  };
  for (size_t i = 0; i < n_code; ++i) {
    ir::Instr in;
    Op op;
    if (i == 0 || rng() % 5 == 0) {
      int leaf = static_cast<int>(rng() % 6);
      op = leaf < 3 ? Op::Const : leaf < 5 ? Op::Input : Op::Time;
      if (op == Op::Input && p.n_inputs == 0) op = Op::Const;
    } else {
      // Any scalar op of the table, or a window call (reads of shared states are built
      // on purpose: random_test.cpp).
      do op = static_cast<Op>(rng() % ir::kNumOps);
      while (!ir::is_scalar(op) && !(op == Op::Window && opts.windows));
    }
    in.op = op;
    switch (op) {
      case Op::Const:
        in.imm = special_value(rng);
        break;
      case Op::Input:
        in.a = static_cast<uint32_t>(rng() % p.n_inputs);
        break;
      case Op::Time:
        break;
      case Op::Window: {
        kernels::WindowSpec spec;
        spec.kind = static_cast<kernels::WindowKind>(rng() % kernels::kNumWindowKinds);
        static const int64_t kWidths[] = {1, 999, 1000, 5000, 60000, 3600000};
        spec.width_ms = kWidths[rng() % std::size(kWidths)];
        spec.param = std::uniform_real_distribution<double>(0, 1)(rng);
        if (rng() % 4 == 0) spec.param = static_cast<double>(rng() % 2);
        in.slot = static_cast<uint32_t>(p.windows.size());
        p.windows.push_back(spec);
        in.a = operand(i);
        break;
      }
      default:
        in.a = operand(i);
        in.b = operand(i);
        in.c = operand(i);
        break;
    }
    p.code.push_back(in);
  }
  p.outputs.push_back(static_cast<uint32_t>(n_code - 1));
  for (size_t k = rng() % 4; k > 0; --k) p.outputs.push_back(static_cast<uint32_t>(rng() % n_code));
  return p;
}

ir::Program merge(const std::vector<ir::Program>& parts, std::vector<size_t>* first_output) {
  ir::Program m;
  m.name = "merged";
  for (const ir::Program& p : parts) {
    const auto base = static_cast<uint32_t>(m.code.size());
    const auto slot0 = static_cast<uint32_t>(m.windows.size());
    const uint32_t in0 = m.n_inputs;
    if (first_output) first_output->push_back(m.outputs.size());
    for (ir::Instr in : p.code) {
      if (in.op == ir::Op::Input) {
        in.a += in0;
      } else if (in.op != ir::Op::Const && in.op != ir::Op::Time) {
        in.a += base;
        in.b += base;
        in.c += base;
      }
      if (in.op == ir::Op::Window) in.slot += slot0;
      m.code.push_back(in);
    }
    for (const auto& w : p.windows) m.windows.push_back(w);
    for (uint32_t o : p.outputs) m.outputs.push_back(o + base);
    m.n_inputs += p.n_inputs;
  }
  return m;
}

Batch merge_batches(const std::vector<Batch>& parts) {
  Batch b;
  if (parts.empty()) return b;
  b.ts = parts[0].ts;
  for (const Batch& p : parts)
    for (const auto& c : p.cols) b.cols.push_back(c);
  return b;
}

}  // namespace omen::jit_test
