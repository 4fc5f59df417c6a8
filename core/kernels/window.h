// Incremental window kernels: the runtime functions behind Omen's window built-ins
// (count, sum, mean, ..., lag). Both back ends call exactly these functions, the
// interpreter directly and JIT code through an allow-listed symbol, so the two tiers
// agree bit for bit.
//
// Contract shared by every kernel:
//   * push(state, t, v) is called once per evaluation tick with strictly increasing t
//     (milliseconds). The runtime guarantees the order; kernels may assume it.
//   * The window at time t holds the ticks with timestamp in (t - width, t].
//   * A NaN v is a missing value: it is not added to the window, but t still advances
//     the window (old samples expire). Lag is the exception: it remembers NaN too.
//   * The return value is the aggregate over the window after the push.
//     Empty window: count -> 0, sum -> 0, everything else -> NaN.
//   * The detector kernels (FitQuantile and after) document their own results; the
//     boolean ones (esd, cooldown) always return exactly 0 or 1. See docs/stdlib.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace omen::kernels {

enum class WindowKind : uint8_t {
  Count,     // number of non-NaN samples
  Sum,       // sum of samples (compensated)
  Mean,      // arithmetic mean
  Min,       // minimum (monotonic deque)
  Max,       // maximum (monotonic deque)
  Stddev,    // population standard deviation (ddof = 0, like numpy.std)
  Median,    // median, linear interpolation between the two middle values
  Quantile,  // quantile q = param in [0,1], linear interpolation (numpy 'linear')
  Mad,       // median absolute deviation from the median (unscaled)
  Ewma,      // exponentially weighted mean, time constant = width: alpha = 1 - exp(-dt/width)
  Delta,     // last - first sample in the window; NaN with fewer than 2 samples
  Rate,      // per-second increase of a counter over the window, resets handled
  Lag,       // value of the latest tick at or before t - width (NaN if none)
  // Detector kernels (core/kernels/detectors.h, docs/stdlib.md).
  FitQuantile,  // quantile q of the samples of the first `width` of the series, then frozen
  Esd,          // 1 if the newest sample is an outlier by the generalized ESD test over the window
  Seasonal,     // median of the samples one, two, ..., k periods (width) ago
  ArResidual,   // newest sample minus its AR(p) prediction fitted on the preceding window
  Cusum,        // two-sided CUSUM of the sample standardized by the preceding window
  Bocpd,        // most probable run length of Bayesian online change-point detection
  Gaussian,     // NAB's windowed-Gaussian anomaly score (count window, refit every step)
  Cooldown,     // 1 when the condition is true and no 1 was returned within the window
  kCount_
};

constexpr size_t kNumWindowKinds = static_cast<size_t>(WindowKind::kCount_);

/// Most constant numeric parameters a kernel takes.
inline constexpr size_t kMaxParams = 4;

/// The static parameters of one window call site.
struct WindowSpec {
  WindowKind kind = WindowKind::Count;
  int64_t width_ms = 0;  // > 0
  double param = 0.0;    // the first constant parameter (quantile's q, esd's alpha, ...)
  std::array<double, kMaxParams - 1> more{};  // the further ones, in order

  /// Constant parameter i (0-based): param, more[0], more[1], ...
  double arg(size_t i) const { return i == 0 ? param : i < kMaxParams ? more[i - 1] : 0.0; }
  void set_arg(size_t i, double v) {
    if (i == 0)
      param = v;
    else if (i < kMaxParams)
      more[i - 1] = v;
  }
  friend bool operator==(const WindowSpec&, const WindowSpec&) = default;
};

/// One constant numeric parameter of a kernel: its name (in diagnostics and IR listings)
/// and its valid range. The checker rejects values outside it (E024); the kernels clamp
/// into it, so a hand-built spec cannot break their invariants.
struct ParamInfo {
  const char* name;
  double lo, hi;         // bounds; hi may be +inf
  bool lo_open = false;  // (lo, ... rather than [lo, ...
  bool integer = false;  // must be a whole number

  /// v clamped into the range (NaN -> lo; an open lower bound clamps just above lo).
  double clamp(double v) const;
  bool contains(double v) const;
};

/// Kernel entry point with C linkage, callable from JIT code.
using PushFn = double (*)(void* state, int64_t t_ms, double v);

/// Read of a state shared by several window calls: the kernel's value over the window as
/// of the state's last push (by any kernel of the same share group), without pushing.
using ReadFn = double (*)(void* state, double param);

/// Window calls over the same input and width whose kernels are in the same share group
/// (nonzero) can share one state: the first call pushes, the others only read
/// (ir::Op::WindowRead). Mean and stddev share the shifted moments; median, quantile and
/// mad share the sorted window.
enum class ShareGroup : uint8_t { None, Moments, Order };

/// Static description of a kernel, used by the checker (names), the JIT (symbols) and
/// the docs (complexity).
struct KernelInfo {
  WindowKind kind;
  const char* name;        // the Omen built-in name, e.g. "median"
  const char* symbol;      // the C symbol of the push function, e.g. "omen_win_median"
  PushFn push;             // the push function itself
  const char* complexity;  // per-sample cost, e.g. "O(log w)"
  uint8_t n_params = 0;    // constant numeric parameters, WindowSpec::arg(0..n-1)
  const ParamInfo* params = nullptr;
  ShareGroup group = ShareGroup::None;
  ReadFn read = nullptr;              // set for kernels of a share group
  const char* read_symbol = nullptr;  // its C symbol, e.g. "omen_win_read_mad"
};

const KernelInfo& kernel_info(WindowKind kind);
/// True if a read of kernel `view` may be applied to a state created for kernel `state`
/// (both in the same share group).
bool can_read(WindowKind state, WindowKind view);
/// Finds a kernel by its Omen built-in name; nullptr if there is none.
const KernelInfo* find_kernel(std::string_view name);

/// Owning handle for the state of one window call site of one rule instance.
class WindowState {
 public:
  WindowState() = default;
  explicit WindowState(const WindowSpec& spec);
  ~WindowState();
  WindowState(WindowState&& other) noexcept;
  WindowState& operator=(WindowState&& other) noexcept;
  WindowState(const WindowState&) = delete;
  WindowState& operator=(const WindowState&) = delete;

  void* get() const { return state_; }
  WindowKind kind() const { return kind_; }
  double push(int64_t t_ms, double v) { return kernel_info(kind_).push(state_, t_ms, v); }
  /// Bytes owned by this state, including its buffers (for memory accounting).
  size_t bytes() const;

 private:
  WindowKind kind_ = WindowKind::Count;
  void* state_ = nullptr;
};

}  // namespace omen::kernels
