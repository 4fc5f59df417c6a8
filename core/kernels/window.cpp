// The kernel table and the owning state handle.
#include "core/kernels/window.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "core/kernels/detectors.h"
#include "core/kernels/extrema.h"
#include "core/kernels/moments.h"
#include "core/kernels/order.h"
#include "core/kernels/push_fns.h"
#include "core/kernels/temporal.h"

namespace omen::kernels {
namespace {

using K = WindowKind;

constexpr double kInf = std::numeric_limits<double>::infinity();

// The constant parameters of each kernel that has some (docs/stdlib.md).
constexpr ParamInfo kQuantileParams[] = {{"quantile", 0, 1}};
constexpr ParamInfo kEsdParams[] = {{"alpha", 0, 0.5, true},
                                    {"max_outliers", 1, 1000, false, true}};
constexpr ParamInfo kSeasonalParams[] = {{"periods", 1, 64, false, true}};
constexpr ParamInfo kArParams[] = {{"order", 1, 16, false, true}};
constexpr ParamInfo kCusumParams[] = {{"drift", 0, kInf}, {"threshold", 0, kInf, true}};
constexpr ParamInfo kBocpdParams[] = {{"expected_run", 1, kInf},
                                      {"max_run", 1, 10000, false, true}};
constexpr ParamInfo kGaussianParams[] = {{"size", 1, 10'000'000, false, true},
                                         {"step", 1, 10'000'000, false, true}};

template <size_t N>
constexpr uint8_t count(const ParamInfo (&)[N]) {
  return static_cast<uint8_t>(N);
}

// In WindowKind order (checked below). w is the number of samples in the window.
constexpr std::array<KernelInfo, kNumWindowKinds> kKernels = {{
    {K::Count, "count", "omen_win_count", &omen_win_count, "O(1) amortized"},
    {K::Sum, "sum", "omen_win_sum", &omen_win_sum, "O(1) amortized"},
    {K::Mean, "mean", "omen_win_mean", &omen_win_mean, "O(1) amortized", 0, nullptr,
     ShareGroup::Moments, &omen_win_read_mean, "omen_win_read_mean"},
    {K::Min, "min", "omen_win_min", &omen_win_min, "O(1) amortized"},
    {K::Max, "max", "omen_win_max", &omen_win_max, "O(1) amortized"},
    {K::Stddev, "stddev", "omen_win_stddev", &omen_win_stddev, "O(1) amortized", 0, nullptr,
     ShareGroup::Moments, &omen_win_read_stddev, "omen_win_read_stddev"},
    {K::Median, "median", "omen_win_median", &omen_win_median, "O(log w)", 0, nullptr,
     ShareGroup::Order, &omen_win_read_median, "omen_win_read_median"},
    {K::Quantile, "quantile", "omen_win_quantile", &omen_win_quantile, "O(log w)",
     count(kQuantileParams), kQuantileParams, ShareGroup::Order, &omen_win_read_quantile,
     "omen_win_read_quantile"},
    {K::Mad, "mad", "omen_win_mad", &omen_win_mad, "O(log^2 w)", 0, nullptr, ShareGroup::Order,
     &omen_win_read_mad, "omen_win_read_mad"},
    {K::Ewma, "ewma", "omen_win_ewma", &omen_win_ewma, "O(1)"},
    {K::Delta, "delta", "omen_win_delta", &omen_win_delta, "O(1) amortized"},
    {K::Rate, "rate", "omen_win_rate", &omen_win_rate, "O(1) amortized"},
    {K::Lag, "lag", "omen_win_lag", &omen_win_lag, "O(1) amortized"},
    {K::FitQuantile, "fit_quantile", "omen_win_fit_quantile", &omen_win_fit_quantile,
     "O(1) amortized (one O(n log n) sort at the end of the span)", count(kQuantileParams),
     kQuantileParams},
    {K::Esd, "esd", "omen_win_esd", &omen_win_esd, "O(r log w) amortized", count(kEsdParams),
     kEsdParams},
    {K::Seasonal, "seasonal_base", "omen_win_seasonal_base", &omen_win_seasonal_base,
     "O(k log k) amortized", count(kSeasonalParams), kSeasonalParams},
    {K::ArResidual, "ar_residual", "omen_win_ar_residual", &omen_win_ar_residual,
     "O(p^3) amortized", count(kArParams), kArParams},
    {K::Cusum, "cusum", "omen_win_cusum", &omen_win_cusum, "O(1) amortized", count(kCusumParams),
     kCusumParams},
    {K::Bocpd, "bocpd", "omen_win_bocpd", &omen_win_bocpd, "O(R)", count(kBocpdParams),
     kBocpdParams},
    {K::Gaussian, "gauss_score", "omen_win_gauss_score", &omen_win_gauss_score,
     "O(size / step) amortized", count(kGaussianParams), kGaussianParams},
    {K::Cooldown, "cooldown", "omen_win_cooldown", &omen_win_cooldown, "O(1)"},
}};

constexpr bool table_in_kind_order() {
  for (size_t i = 0; i < kKernels.size(); ++i)
    if (static_cast<size_t>(kKernels[i].kind) != i) return false;
  return true;
}
static_assert(table_in_kind_order());

// Calls f with a pointer of the state type of `kind` (null for an unknown kind).
template <class F>
decltype(auto) with_state_type(WindowKind kind, F&& f) {
  using namespace detail;
  switch (kind) {
    case K::Count:
      return f(static_cast<CountState*>(nullptr));
    case K::Sum:
      return f(static_cast<SumState*>(nullptr));
    case K::Mean:
    case K::Stddev:
      return f(static_cast<MomentState*>(nullptr));
    case K::Min:
    case K::Max:
      return f(static_cast<ExtremumState*>(nullptr));
    case K::Median:
    case K::Quantile:
    case K::Mad:
      return f(static_cast<OrderState*>(nullptr));
    case K::Ewma:
      return f(static_cast<EwmaState*>(nullptr));
    case K::Delta:
    case K::Rate:
      return f(static_cast<SeriesState*>(nullptr));
    case K::Lag:
      return f(static_cast<LagState*>(nullptr));
    case K::FitQuantile:
      return f(static_cast<FitQuantileState*>(nullptr));
    case K::Esd:
      return f(static_cast<EsdState*>(nullptr));
    case K::Seasonal:
      return f(static_cast<SeasonalState*>(nullptr));
    case K::ArResidual:
      return f(static_cast<ArState*>(nullptr));
    case K::Cusum:
      return f(static_cast<CusumState*>(nullptr));
    case K::Bocpd:
      return f(static_cast<BocpdState*>(nullptr));
    case K::Gaussian:
      return f(static_cast<GaussianState*>(nullptr));
    case K::Cooldown:
      return f(static_cast<CooldownState*>(nullptr));
    case K::kCount_:
      break;
  }
  return f(static_cast<CountState*>(nullptr));
}

void destroy_state(WindowKind kind, void* state) {
  if (!state) return;
  with_state_type(kind, [&](auto* tag) { delete static_cast<decltype(tag)>(state); });
}

}  // namespace

double ParamInfo::clamp(double v) const {
  if (std::isnan(v)) v = lo;
  if (integer) v = std::round(v);
  if (v < lo || (lo_open && v <= lo)) {
    v = lo;
    if (lo_open) v = integer ? lo + 1 : std::nextafter(lo, kInf);
  }
  if (v > hi) v = hi;
  return v;
}

bool ParamInfo::contains(double v) const {
  if (std::isnan(v) || v > hi || v < lo || (lo_open && v == lo)) return false;
  return !integer || v == std::floor(v);
}

namespace detail {
double spec_param(const WindowSpec& spec, size_t i) {
  const KernelInfo& info = kernel_info(spec.kind);
  return i < info.n_params ? info.params[i].clamp(spec.arg(i)) : spec.arg(i);
}
}  // namespace detail

const KernelInfo& kernel_info(WindowKind kind) {
  size_t i = static_cast<size_t>(kind);
  return kKernels[i < kKernels.size() ? i : 0];
}

bool can_read(WindowKind state, WindowKind view) {
  const KernelInfo& s = kernel_info(state);
  const KernelInfo& v = kernel_info(view);
  return s.kind == state && v.kind == view && v.read && v.group != ShareGroup::None &&
         v.group == s.group;
}

const KernelInfo* find_kernel(std::string_view name) {
  for (const KernelInfo& k : kKernels)
    if (name == k.name) return &k;
  return nullptr;
}

WindowState::WindowState(const WindowSpec& spec) : kind_(spec.kind) {
  if (static_cast<size_t>(kind_) >= kNumWindowKinds) kind_ = WindowKind::Count;
  state_ = with_state_type(
      kind_, [&](auto* tag) -> void* { return new std::remove_pointer_t<decltype(tag)>(spec); });
}

WindowState::~WindowState() {
  destroy_state(kind_, state_);
}

WindowState::WindowState(WindowState&& other) noexcept
    : kind_(other.kind_), state_(std::exchange(other.state_, nullptr)) {}

WindowState& WindowState::operator=(WindowState&& other) noexcept {
  if (this != &other) {
    destroy_state(kind_, state_);
    kind_ = other.kind_;
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

size_t WindowState::bytes() const {
  if (!state_) return 0;
  return with_state_type(kind_, [&](auto* tag) -> size_t {
    return static_cast<const std::remove_pointer_t<decltype(tag)>*>(state_)->bytes();
  });
}

}  // namespace omen::kernels
