// A growable FIFO ring of trivially copyable elements, with pop at both ends (so it also
// serves as the monotonic deque of min/max). Capacity is a power of two; it doubles when
// full and halves when at most a quarter full, so memory stays proportional to the
// contents and a steady-state window never allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace omen::kernels::detail {

template <class T>
class Ring {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Ring() = default;
  ~Ring() { std::free(buf_); }
  Ring(Ring&& o) noexcept
      : buf_(std::exchange(o.buf_, nullptr)),
        mask_(std::exchange(o.mask_, 0)),
        head_(std::exchange(o.head_, 0)),
        size_(std::exchange(o.size_, 0)) {}
  Ring& operator=(Ring&& o) noexcept {
    std::swap(buf_, o.buf_);
    std::swap(mask_, o.mask_);
    std::swap(head_, o.head_);
    std::swap(size_, o.size_);
    return *this;
  }
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  size_t capacity() const { return buf_ ? mask_ + 1 : 0; }
  size_t bytes() const { return capacity() * sizeof(T); }

  T& front() { return buf_[head_]; }
  const T& front() const { return buf_[head_]; }
  T& back() { return buf_[(head_ + size_ - 1) & mask_]; }
  const T& back() const { return buf_[(head_ + size_ - 1) & mask_]; }
  /// i-th element from the front.
  T& operator[](size_t i) { return buf_[(head_ + i) & mask_]; }
  const T& operator[](size_t i) const { return buf_[(head_ + i) & mask_]; }

  void push_back(const T& x) {
    if (size_ == capacity()) [[unlikely]]
      resize(capacity() ? 2 * capacity() : kMinCapacity);
    buf_[(head_ + size_) & mask_] = x;
    ++size_;
  }
  void pop_front() {
    head_ = (head_ + 1) & mask_;
    --size_;
    maybe_shrink();
  }
  void pop_back() {
    --size_;
    maybe_shrink();
  }
  void clear() {
    std::free(buf_);
    buf_ = nullptr;
    mask_ = head_ = size_ = 0;
  }

 private:
  static constexpr size_t kMinCapacity = 8;

  void maybe_shrink() {
    // Halving at a quarter (not a half) leaves slack both ways, so a window whose size
    // hovers around a power of two does not reallocate on every tick.
    if (size_ * 4 <= mask_ && mask_ >= 2 * kMinCapacity) [[unlikely]]
      resize((mask_ + 1) / 2);
  }

  [[gnu::noinline]] void resize(size_t cap) {
    T* nb = static_cast<T*>(std::malloc(cap * sizeof(T)));
    if (!nb) throw std::bad_alloc();
    // Copy the (at most two) contiguous runs, unwrapping the ring at index 0.
    size_t first = size_;
    if (buf_ && head_ + size_ > mask_ + 1) first = mask_ + 1 - head_;
    if (size_) {
      std::memcpy(nb, buf_ + head_, first * sizeof(T));
      std::memcpy(nb + first, buf_, (size_ - first) * sizeof(T));
    }
    std::free(buf_);
    buf_ = nb;
    mask_ = cap - 1;
    head_ = 0;
  }

  T* buf_ = nullptr;
  size_t mask_ = 0;  // capacity - 1 when buf_ is set
  size_t head_ = 0;
  size_t size_ = 0;
};

/// Start of the window (t - width, t]: a sample with time <= cutoff has expired.
/// Saturates instead of overflowing for times near the int64 minimum.
inline int64_t window_cutoff(int64_t t, int64_t width) {
  int64_t c;
  if (__builtin_sub_overflow(t, width, &c)) [[unlikely]]
    return INT64_MIN;
  return c;
}

/// One sample of a window buffer.
struct Sample {
  int64_t t;
  double v;
};

}  // namespace omen::kernels::detail
