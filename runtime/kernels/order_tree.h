// An order-statistic multiset of doubles: an AVL tree with subtree sizes, its nodes in
// one pooled vector linked by 32-bit indices (no allocation per insert in steady state,
// a third of the memory of std::multiset's nodes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace omen::kernels::detail {

class OrderTree {
 public:
  OrderTree();

  /// O(log n).
  void insert(double v);
  /// Removes one element bitwise equal to v, which must be present. O(log n) amortised
  /// (the pool is compacted when it is mostly free).
  void erase(double v);
  size_t size() const { return nodes_[root_].size; }
  /// The k-th smallest element, 0-based; k < size(). O(log n).
  double select(size_t k) const;
  /// Number of elements ordered before v, in the total order where -0.0 < +0.0. O(log n).
  size_t count_below(double v) const;
  /// Bytes of the node pool.
  size_t bytes() const { return nodes_.capacity() * sizeof(Node); }

 private:
  // Index 0 is the nil node: size 0, height 0, never written.
  struct Node {
    int64_t key;
    int32_t left, right;
    int32_t size, height;
  };

  int32_t allocate(int64_t key);
  void release(int32_t x);
  void update(int32_t x);
  int32_t rotate_left(int32_t x);
  int32_t rotate_right(int32_t x);
  int32_t rebalance(int32_t x);
  int32_t insert_at(int32_t x, int64_t key, int32_t leaf);
  int32_t erase_at(int32_t x, int64_t key);
  int32_t take_min(int32_t x, int32_t* min);
  void compact();

  std::vector<Node> nodes_;
  int32_t root_ = 0;
  int32_t free_ = 0;  // free list, linked through Node::left
};

}  // namespace omen::kernels::detail
