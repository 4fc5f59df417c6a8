#include "core/kernels/order_tree.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace omen::kernels::detail {
namespace {

int64_t to_key(double v) {
  return order_key(v);
}
double from_key(int64_t k) {
  return order_value(k);
}

constexpr size_t kMaxSpares = 8;

// Positions in sorted a[0..n).
inline int lower_bound(const int64_t* a, int n, int64_t key) {
  return static_cast<int>(std::lower_bound(a, a + n, key) - a);
}
inline int upper_bound(const int64_t* a, int n, int64_t key) {
  return static_cast<int>(std::upper_bound(a, a + n, key) - a);
}

}  // namespace

// In the body: new_leaf() uses the spare lists, which are declared after root_.
OrderTree::OrderTree() {
  root_ = new_leaf();
}

OrderTree::~OrderTree() {
  destroy(root_, height_);
  for (Leaf* p : spare_leaves_) delete p;
  for (Inner* p : spare_inners_) delete p;
}

void OrderTree::destroy(void* node, int level) {
  if (level == 0) {
    delete static_cast<Leaf*>(node);
    return;
  }
  auto* in = static_cast<Inner*>(node);
  for (int i = 0; i < in->n; ++i) destroy(in->child[i], level - 1);
  delete in;
}

OrderTree::Leaf* OrderTree::new_leaf() {
  ++n_leaves_;
  if (spare_leaves_.empty()) return new Leaf;
  Leaf* p = spare_leaves_.back();
  spare_leaves_.pop_back();
  p->n = 0;
  return p;
}

OrderTree::Inner* OrderTree::new_inner() {
  ++n_inners_;
  if (spare_inners_.empty()) return new Inner;
  Inner* p = spare_inners_.back();
  spare_inners_.pop_back();
  p->n = 0;
  return p;
}

void OrderTree::free_leaf(Leaf* p) {
  --n_leaves_;
  if (spare_leaves_.size() < kMaxSpares)
    spare_leaves_.push_back(p);
  else
    delete p;
}

void OrderTree::free_inner(Inner* p) {
  --n_inners_;
  if (spare_inners_.size() < kMaxSpares)
    spare_inners_.push_back(p);
  else
    delete p;
}

size_t OrderTree::bytes() const {
  return (n_leaves_ + spare_leaves_.size()) * sizeof(Leaf) +
         (n_inners_ + spare_inners_.size()) * sizeof(Inner) +
         (spare_leaves_.capacity() + spare_inners_.capacity()) * sizeof(void*);
}

int64_t OrderTree::node_min(const void* node, int level) {
  return level == 0 ? static_cast<const Leaf*>(node)->key[0]
                    : static_cast<const Inner*>(node)->sep[0];
}

int32_t OrderTree::node_count(const void* node, int level) {
  if (level == 0) return static_cast<const Leaf*>(node)->n;
  auto* in = static_cast<const Inner*>(node);
  int32_t c = 0;
  for (int i = 0; i < in->n; ++i) c += in->count[i];
  return c;
}

int OrderTree::node_fill(const void* node, int level) {
  return level == 0 ? static_cast<const Leaf*>(node)->n : static_cast<const Inner*>(node)->n;
}

namespace {

// The child of an inner node whose key range admits `key`: the last one whose minimum
// is <= key (0 if none). With exact minimums this child holds key if anything does.
template <class Inner>
int route(const Inner* in, int64_t key) {
  return upper_bound(in->sep + 1, in->n - 1, key);
}

// Inserts entry (sep, count, child) at position i of an inner node with room.
template <class Inner>
void inner_insert(Inner* in, int i, int64_t sep, int32_t count, void* child) {
  int tail = in->n - i;
  std::memmove(in->sep + i + 1, in->sep + i, tail * sizeof(in->sep[0]));
  std::memmove(in->count + i + 1, in->count + i, tail * sizeof(in->count[0]));
  std::memmove(in->child + i + 1, in->child + i, tail * sizeof(in->child[0]));
  in->sep[i] = sep;
  in->count[i] = count;
  in->child[i] = child;
  ++in->n;
}

template <class Inner>
void inner_remove(Inner* in, int i) {
  int tail = in->n - i - 1;
  std::memmove(in->sep + i, in->sep + i + 1, tail * sizeof(in->sep[0]));
  std::memmove(in->count + i, in->count + i + 1, tail * sizeof(in->count[0]));
  std::memmove(in->child + i, in->child + i + 1, tail * sizeof(in->child[0]));
  --in->n;
}

// Moves entries [from, from + len) of src to position at of dst (which has room).
template <class Inner>
void inner_move(Inner* dst, int at, Inner* src, int from, int len) {
  std::memmove(dst->sep + at + len, dst->sep + at, (dst->n - at) * sizeof(dst->sep[0]));
  std::memmove(dst->count + at + len, dst->count + at, (dst->n - at) * sizeof(dst->count[0]));
  std::memmove(dst->child + at + len, dst->child + at, (dst->n - at) * sizeof(dst->child[0]));
  std::memcpy(dst->sep + at, src->sep + from, len * sizeof(src->sep[0]));
  std::memcpy(dst->count + at, src->count + from, len * sizeof(src->count[0]));
  std::memcpy(dst->child + at, src->child + from, len * sizeof(src->child[0]));
  dst->n += len;
  int tail = src->n - from - len;
  std::memmove(src->sep + from, src->sep + from + len, tail * sizeof(src->sep[0]));
  std::memmove(src->count + from, src->count + from + len, tail * sizeof(src->count[0]));
  std::memmove(src->child + from, src->child + from + len, tail * sizeof(src->child[0]));
  src->n -= len;
}

template <class Leaf>
void leaf_move(Leaf* dst, int at, Leaf* src, int from, int len) {
  std::memmove(dst->key + at + len, dst->key + at, (dst->n - at) * sizeof(dst->key[0]));
  std::memcpy(dst->key + at, src->key + from, len * sizeof(src->key[0]));
  dst->n += len;
  std::memmove(src->key + from, src->key + from + len, (src->n - from - len) * sizeof(src->key[0]));
  src->n -= len;
}

}  // namespace

// Inserts key below `node`. If the node had to split, returns the new right sibling and
// sets *right_min to its minimum; otherwise returns nullptr.
void* OrderTree::insert_at(void* node, int level, int64_t key, int64_t* right_min) {
  if (level == 0) {
    auto* leaf = static_cast<Leaf*>(node);
    int pos = upper_bound(leaf->key, leaf->n, key);
    Leaf* right = nullptr;
    if (leaf->n == kLeafCap) {
      right = new_leaf();
      leaf_move(right, 0, leaf, kLeafCap / 2, kLeafCap / 2);
      if (pos > leaf->n) {
        pos -= leaf->n;
        leaf = right;
      }
    }
    std::memmove(leaf->key + pos + 1, leaf->key + pos, (leaf->n - pos) * sizeof(int64_t));
    leaf->key[pos] = key;
    ++leaf->n;
    if (right) *right_min = right->key[0];
    return right;
  }
  auto* in = static_cast<Inner*>(node);
  int i = route(in, key);
  int64_t child_right_min = 0;
  void* split = insert_at(in->child[i], level - 1, key, &child_right_min);
  ++in->count[i];
  if (key < in->sep[i]) in->sep[i] = key;  // only for i == 0
  if (!split) return nullptr;
  in->count[i] = node_count(in->child[i], level - 1);
  const int32_t split_count = node_count(split, level - 1);
  Inner* right = nullptr;
  Inner* target = in;
  int at = i + 1;
  if (in->n == kInnerCap) {
    right = new_inner();
    inner_move(right, 0, in, kInnerCap / 2, kInnerCap / 2);
    if (at > in->n) {
      at -= in->n;
      target = right;
    }
  }
  inner_insert(target, at, child_right_min, split_count, split);
  if (right) *right_min = right->sep[0];
  return right;
}

void OrderTree::insert(double v) {
  const int64_t key = to_key(v);
  int64_t right_min = 0;
  void* split = insert_at(root_, height_, key, &right_min);
  ++size_;
  if (!split) return;
  Inner* root = new_inner();
  inner_insert(root, 0, node_min(root_, height_), node_count(root_, height_), root_);
  inner_insert(root, 1, right_min, node_count(split, height_), split);
  root_ = root;
  ++height_;
}

// Merges child i of `parent` with a neighbour, or moves entries over from it, so that
// both end up at least a quarter full (or one node holds everything).
void OrderTree::fix_underflow(Inner* parent, int i, int child_level) {
  const int a = i + 1 < parent->n ? i : i - 1;  // the pair (a, a + 1)
  const int b = a + 1;
  void* pa = parent->child[a];
  void* pb = parent->child[b];
  const int cap = child_level == 0 ? kLeafCap : kInnerCap;
  const int fa = node_fill(pa, child_level), fb = node_fill(pb, child_level);
  if (fa + fb <= cap * 3 / 4) {  // merge b into a
    if (child_level == 0) {
      leaf_move(static_cast<Leaf*>(pa), fa, static_cast<Leaf*>(pb), 0, fb);
      free_leaf(static_cast<Leaf*>(pb));
    } else {
      inner_move(static_cast<Inner*>(pa), fa, static_cast<Inner*>(pb), 0, fb);
      free_inner(static_cast<Inner*>(pb));
    }
    parent->count[a] += parent->count[b];
    inner_remove(parent, b);
  } else {  // even out the pair
    const int want_a = (fa + fb) / 2;
    if (child_level == 0) {
      auto* la = static_cast<Leaf*>(pa);
      auto* lb = static_cast<Leaf*>(pb);
      if (fa < want_a)
        leaf_move(la, fa, lb, 0, want_a - fa);
      else
        leaf_move(lb, 0, la, want_a, fa - want_a);
    } else {
      auto* ia = static_cast<Inner*>(pa);
      auto* ib = static_cast<Inner*>(pb);
      if (fa < want_a)
        inner_move(ia, fa, ib, 0, want_a - fa);
      else
        inner_move(ib, 0, ia, want_a, fa - want_a);
    }
    parent->count[a] = node_count(pa, child_level);
    parent->count[b] = node_count(pb, child_level);
    parent->sep[b] = node_min(pb, child_level);
  }
  parent->sep[a] = node_min(pa, child_level);
}

bool OrderTree::erase_at(void* node, int level, int64_t key) {
  if (level == 0) {
    auto* leaf = static_cast<Leaf*>(node);
    int pos = lower_bound(leaf->key, leaf->n, key);
    if (pos == leaf->n || leaf->key[pos] != key) return false;
    std::memmove(leaf->key + pos, leaf->key + pos + 1, (leaf->n - pos - 1) * sizeof(int64_t));
    --leaf->n;
    return true;
  }
  auto* in = static_cast<Inner*>(node);
  const int i = route(in, key);
  void* child = in->child[i];
  if (!erase_at(child, level - 1, key)) return false;
  --in->count[i];
  const int fill = node_fill(child, level - 1);
  if (fill > 0) in->sep[i] = node_min(child, level - 1);
  if (fill < (level - 1 == 0 ? kLeafMin : kInnerMin) && in->n > 1) fix_underflow(in, i, level - 1);
  return true;
}

bool OrderTree::erase(double v) {
  if (!erase_at(root_, height_, to_key(v))) return false;
  --size_;
  // A root with a single child gives way to it.
  while (height_ > 0 && static_cast<Inner*>(root_)->n == 1) {
    auto* old = static_cast<Inner*>(root_);
    root_ = old->child[0];
    free_inner(old);
    --height_;
  }
  return true;
}

double OrderTree::select(size_t k) const {
  const void* node = root_;
  for (int level = height_; level > 0; --level) {
    auto* in = static_cast<const Inner*>(node);
    int i = 0;
    while (k >= static_cast<size_t>(in->count[i])) k -= static_cast<size_t>(in->count[i++]);
    node = in->child[i];
  }
  return from_key(static_cast<const Leaf*>(node)->key[k]);
}

size_t OrderTree::count_below(double v) const {
  const int64_t key = to_key(v);
  const void* node = root_;
  size_t c = 0;
  for (int level = height_; level > 0; --level) {
    auto* in = static_cast<const Inner*>(node);
    // The last child whose minimum is below key; all before it are entirely below.
    int i = lower_bound(in->sep + 1, in->n - 1, key);
    for (int j = 0; j < i; ++j) c += static_cast<size_t>(in->count[j]);
    node = in->child[i];
  }
  auto* leaf = static_cast<const Leaf*>(node);
  return c + static_cast<size_t>(lower_bound(leaf->key, leaf->n, key));
}

bool OrderTree::valid() const {
  int64_t lo = 0, hi = 0;
  size_t count = 0;
  return valid_at(root_, height_, true, &lo, &hi, &count) && count == size_;
}

// Sets [*lo, *hi] to the key range of a non-empty subtree and *count to its size.
bool OrderTree::valid_at(const void* node, int level, bool is_root, int64_t* lo, int64_t* hi,
                         size_t* count) const {
  if (level == 0) {
    auto* leaf = static_cast<const Leaf*>(node);
    if (leaf->n > kLeafCap || (!is_root && leaf->n < kLeafMin)) return false;
    if (!std::is_sorted(leaf->key, leaf->key + leaf->n)) return false;
    *count = static_cast<size_t>(leaf->n);
    if (leaf->n > 0) {
      *lo = leaf->key[0];
      *hi = leaf->key[leaf->n - 1];
    }
    return true;
  }
  auto* in = static_cast<const Inner*>(node);
  if (in->n > kInnerCap || in->n < (is_root ? 2 : kInnerMin)) return false;
  *count = 0;
  for (int i = 0; i < in->n; ++i) {
    int64_t clo = 0, chi = 0;
    size_t cc = 0;
    if (!valid_at(in->child[i], level - 1, false, &clo, &chi, &cc)) return false;
    if (cc != static_cast<size_t>(in->count[i]) || cc == 0 || clo != in->sep[i]) return false;
    if (i > 0 && clo < *hi) return false;  // children in order
    if (i == 0) *lo = clo;
    *hi = chi;
    *count += cc;
  }
  return true;
}

}  // namespace omen::kernels::detail
