// The kernel table and the owning state handle.
#include "runtime/kernels/window.h"

#include <array>
#include <type_traits>
#include <utility>

#include "runtime/kernels/extrema.h"
#include "runtime/kernels/moments.h"
#include "runtime/kernels/order.h"
#include "runtime/kernels/push_fns.h"
#include "runtime/kernels/temporal.h"

namespace omen::kernels {
namespace {

using K = WindowKind;

// In WindowKind order (checked below). w is the number of samples in the window.
constexpr std::array<KernelInfo, kNumWindowKinds> kKernels = {{
    {K::Count, "count", "omen_win_count", &omen_win_count, "O(1) amortized"},
    {K::Sum, "sum", "omen_win_sum", &omen_win_sum, "O(1) amortized"},
    {K::Mean, "mean", "omen_win_mean", &omen_win_mean, "O(1) amortized"},
    {K::Min, "min", "omen_win_min", &omen_win_min, "O(1) amortized"},
    {K::Max, "max", "omen_win_max", &omen_win_max, "O(1) amortized"},
    {K::Stddev, "stddev", "omen_win_stddev", &omen_win_stddev, "O(1) amortized"},
    {K::Median, "median", "omen_win_median", &omen_win_median, "O(log w)"},
    {K::Quantile, "quantile", "omen_win_quantile", &omen_win_quantile, "O(log w)"},
    {K::Mad, "mad", "omen_win_mad", &omen_win_mad, "O(log^2 w)"},
    {K::Ewma, "ewma", "omen_win_ewma", &omen_win_ewma, "O(1)"},
    {K::Delta, "delta", "omen_win_delta", &omen_win_delta, "O(1) amortized"},
    {K::Rate, "rate", "omen_win_rate", &omen_win_rate, "O(1) amortized"},
    {K::Lag, "lag", "omen_win_lag", &omen_win_lag, "O(1) amortized"},
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
    case K::Count: return f(static_cast<CountState*>(nullptr));
    case K::Sum:
    case K::Mean: return f(static_cast<SumState*>(nullptr));
    case K::Min:
    case K::Max: return f(static_cast<ExtremumState*>(nullptr));
    case K::Stddev: return f(static_cast<StddevState*>(nullptr));
    case K::Median:
    case K::Quantile:
    case K::Mad: return f(static_cast<OrderState*>(nullptr));
    case K::Ewma: return f(static_cast<EwmaState*>(nullptr));
    case K::Delta:
    case K::Rate: return f(static_cast<SeriesState*>(nullptr));
    case K::Lag: return f(static_cast<LagState*>(nullptr));
    case K::kCount_: break;
  }
  return f(static_cast<CountState*>(nullptr));
}

void destroy_state(WindowKind kind, void* state) {
  if (!state) return;
  with_state_type(kind, [&](auto* tag) { delete static_cast<decltype(tag)>(state); });
}

}  // namespace

const KernelInfo& kernel_info(WindowKind kind) {
  size_t i = static_cast<size_t>(kind);
  return kKernels[i < kKernels.size() ? i : 0];
}

const KernelInfo* find_kernel(std::string_view name) {
  for (const KernelInfo& k : kKernels)
    if (name == k.name) return &k;
  return nullptr;
}

WindowState::WindowState(const WindowSpec& spec) : kind_(spec.kind) {
  if (static_cast<size_t>(kind_) >= kNumWindowKinds) kind_ = WindowKind::Count;
  state_ = with_state_type(kind_, [&](auto* tag) -> void* {
    return new std::remove_pointer_t<decltype(tag)>(spec);
  });
}

WindowState::~WindowState() { destroy_state(kind_, state_); }

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
