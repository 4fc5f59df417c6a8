// An order-statistic multiset of doubles: a counted B+tree. Leaves are sorted arrays of
// up to 128 keys; inner nodes keep each child's minimum and element count, so insert,
// erase, select and rank all descend O(log_B n) levels, touching a few cache lines each.
// Nodes stay at least a quarter full, so memory follows the contents.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace omen::kernels::detail {

/// Maps doubles (NaN excluded) to int64 keys whose signed order is the numeric order,
/// with -0.0 just below +0.0; keys are compared as integers and removed bit-exactly.
inline int64_t order_key(double v) {
  int64_t b = std::bit_cast<int64_t>(v);
  return b ^ ((b >> 63) & INT64_MAX);
}
inline double order_value(int64_t k) {
  return std::bit_cast<double>(k ^ ((k >> 63) & INT64_MAX));
}

class OrderTree {
 public:
  OrderTree();
  ~OrderTree();
  OrderTree(const OrderTree&) = delete;
  OrderTree& operator=(const OrderTree&) = delete;

  /// O(log n).
  void insert(double v);
  /// Removes one element bitwise equal to v; returns false (and does nothing) if there
  /// is none. O(log n).
  bool erase(double v);
  size_t size() const { return size_; }
  /// The k-th smallest element, 0-based; k < size(). O(log n).
  double select(size_t k) const;
  /// Number of elements ordered before v, in the total order where -0.0 < +0.0. O(log n).
  size_t count_below(double v) const;
  /// Number of levels (1 for a lone leaf).
  int height() const { return height_ + 1; }
  /// Bytes of all nodes, spare ones included.
  size_t bytes() const;
  /// Checks the structural invariants (for tests): sorted keys, exact minimums and
  /// counts, fill bounds, equal leaf depth. O(n).
  bool valid() const;

 private:
  static constexpr int kLeafCap = 128;
  static constexpr int kInnerCap = 32;
  // Nodes below a quarter full are merged with or refilled from a sibling.
  static constexpr int kLeafMin = kLeafCap / 4;
  static constexpr int kInnerMin = kInnerCap / 4;

  struct Leaf {
    int32_t n = 0;
    int64_t key[kLeafCap];
  };
  // Child i holds count[i] elements, the smallest of which is sep[i] (exact, always).
  struct Inner {
    int32_t n = 0;
    int64_t sep[kInnerCap];
    int32_t count[kInnerCap];
    void* child[kInnerCap];  // Leaf* one level above the leaves, Inner* elsewhere
  };

  void* insert_at(void* node, int level, int64_t key, int64_t* right_min);
  bool erase_at(void* node, int level, int64_t key);
  void fix_underflow(Inner* parent, int i, int child_level);
  static int64_t node_min(const void* node, int level);
  static int32_t node_count(const void* node, int level);
  static int node_fill(const void* node, int level);

  Leaf* new_leaf();
  Inner* new_inner();
  void free_leaf(Leaf* p);
  void free_inner(Inner* p);
  void destroy(void* node, int level);
  bool valid_at(const void* node, int level, bool is_root, int64_t* lo, int64_t* hi,
                size_t* count) const;

  void* root_ = nullptr;
  int height_ = 0;  // levels above the leaves
  size_t size_ = 0;
  size_t n_leaves_ = 0, n_inners_ = 0;  // live nodes
  // A few spare nodes, so a window whose leaves split and merge in turn does not hit
  // the allocator on every push.
  std::vector<Leaf*> spare_leaves_;
  std::vector<Inner*> spare_inners_;
};

}  // namespace omen::kernels::detail
