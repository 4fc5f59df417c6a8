#include "runtime/kernels/order_tree.h"

#include <algorithm>
#include <bit>
#include <new>

namespace omen::kernels::detail {
namespace {

// Maps doubles (NaN excluded) to int64 keys whose signed order is the numeric order,
// with -0.0 just below +0.0; keys are compared as integers and removed bit-exactly.
int64_t to_key(double v) {
  int64_t b = std::bit_cast<int64_t>(v);
  return b ^ ((b >> 63) & INT64_MAX);
}

double from_key(int64_t k) { return std::bit_cast<double>(k ^ ((k >> 63) & INT64_MAX)); }

}  // namespace

OrderTree::OrderTree() { nodes_.push_back(Node{0, 0, 0, 0, 0}); }

int32_t OrderTree::allocate(int64_t key) {
  int32_t x = free_;
  if (x != 0) {
    free_ = nodes_[x].left;
  } else {
    if (nodes_.size() >= static_cast<size_t>(INT32_MAX)) throw std::bad_alloc();
    x = static_cast<int32_t>(nodes_.size());
    nodes_.emplace_back();
  }
  nodes_[x] = Node{key, 0, 0, 1, 1};
  return x;
}

void OrderTree::release(int32_t x) {
  nodes_[x].left = free_;
  free_ = x;
}

void OrderTree::update(int32_t x) {
  Node* n = nodes_.data();
  const Node& l = n[n[x].left];
  const Node& r = n[n[x].right];
  n[x].size = l.size + r.size + 1;
  n[x].height = std::max(l.height, r.height) + 1;
}

int32_t OrderTree::rotate_left(int32_t x) {
  Node* n = nodes_.data();
  int32_t y = n[x].right;
  n[x].right = n[y].left;
  n[y].left = x;
  update(x);
  update(y);
  return y;
}

int32_t OrderTree::rotate_right(int32_t x) {
  Node* n = nodes_.data();
  int32_t y = n[x].left;
  n[x].left = n[y].right;
  n[y].right = x;
  update(x);
  update(y);
  return y;
}

// Restores the AVL invariant at x, whose subtrees are valid and differ in height by at
// most 2; returns the new subtree root.
int32_t OrderTree::rebalance(int32_t x) {
  Node* n = nodes_.data();
  int32_t l = n[x].left, r = n[x].right;
  if (n[l].height > n[r].height + 1) {
    if (n[n[l].left].height < n[n[l].right].height) n[x].left = rotate_left(l);
    return rotate_right(x);
  }
  if (n[r].height > n[l].height + 1) {
    if (n[n[r].right].height < n[n[r].left].height) n[x].right = rotate_right(r);
    return rotate_left(x);
  }
  update(x);
  return x;
}

int32_t OrderTree::insert_at(int32_t x, int64_t key, int32_t leaf) {
  if (x == 0) return leaf;
  Node* n = nodes_.data();
  if (key < n[x].key)
    n[x].left = insert_at(n[x].left, key, leaf);
  else
    n[x].right = insert_at(n[x].right, key, leaf);
  return rebalance(x);
}

int32_t OrderTree::take_min(int32_t x, int32_t* min) {
  Node* n = nodes_.data();
  if (n[x].left == 0) {
    *min = x;
    return n[x].right;
  }
  n[x].left = take_min(n[x].left, min);
  return rebalance(x);
}

int32_t OrderTree::erase_at(int32_t x, int64_t key) {
  if (x == 0) return 0;  // absent: a caller bug, ignored
  Node* n = nodes_.data();
  if (key < n[x].key) {
    n[x].left = erase_at(n[x].left, key);
  } else if (key > n[x].key) {
    n[x].right = erase_at(n[x].right, key);
  } else {
    int32_t l = n[x].left, r = n[x].right;
    release(x);
    if (r == 0) return l;
    if (l == 0) return r;
    int32_t m = 0;
    r = take_min(r, &m);
    n[m].left = l;
    n[m].right = r;
    return rebalance(m);
  }
  return rebalance(x);
}

void OrderTree::insert(double v) {
  int32_t leaf = allocate(to_key(v));  // before the descent: it may move the pool
  root_ = insert_at(root_, to_key(v), leaf);
}

void OrderTree::erase(double v) {
  root_ = erase_at(root_, to_key(v));
  // Give memory back after a large window drained: keep the pool within 4x the contents.
  if (nodes_.size() > 256 && 4 * size() < nodes_.size()) [[unlikely]]
    compact();
}

double OrderTree::select(size_t k) const {
  const Node* n = nodes_.data();
  int32_t x = root_;
  for (;;) {
    size_t ls = static_cast<size_t>(n[n[x].left].size);
    if (k < ls) {
      x = n[x].left;
    } else if (k == ls) {
      return from_key(n[x].key);
    } else {
      k -= ls + 1;
      x = n[x].right;
    }
  }
}

size_t OrderTree::count_below(double v) const {
  const Node* n = nodes_.data();
  const int64_t key = to_key(v);
  size_t c = 0;
  for (int32_t x = root_; x != 0;) {
    if (n[x].key < key) {
      c += static_cast<size_t>(n[n[x].left].size) + 1;
      x = n[x].right;
    } else {
      x = n[x].left;
    }
  }
  return c;
}

// Rebuilds the tree perfectly balanced into a right-sized pool.
void OrderTree::compact() {
  std::vector<int64_t> keys;
  keys.reserve(size());
  std::vector<int32_t> stack;
  for (int32_t x = root_; x != 0 || !stack.empty();) {
    if (x != 0) {
      stack.push_back(x);
      x = nodes_[x].left;
    } else {
      x = stack.back();
      stack.pop_back();
      keys.push_back(nodes_[x].key);
      x = nodes_[x].right;
    }
  }
  std::vector<Node> fresh;
  fresh.reserve(2 * keys.size() + 16);
  fresh.push_back(Node{0, 0, 0, 0, 0});
  nodes_.swap(fresh);
  free_ = 0;
  // Nodes are numbered in build order; the recursion depth is log2(n).
  auto build = [&](auto& self, size_t lo, size_t hi) -> int32_t {
    if (lo == hi) return 0;
    size_t mid = lo + (hi - lo) / 2;
    int32_t x = allocate(keys[mid]);
    int32_t l = self(self, lo, mid);
    int32_t r = self(self, mid + 1, hi);
    nodes_[x].left = l;
    nodes_[x].right = r;
    update(x);
    return x;
  };
  root_ = build(build, 0, keys.size());
}

}  // namespace omen::kernels::detail
