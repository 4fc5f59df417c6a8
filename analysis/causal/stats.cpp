// Statistics: correlation matrices with degeneracy checks, Fisher-z partial-correlation
// tests (cached), distribution functions, quantiles.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/support/math.h"
#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

namespace internal {

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double f_sf(double f, double d1, double d2) {
  if (!(f > 0)) return 1;
  return support::incomplete_beta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

double quantile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  double pos = q * double(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

double median(std::vector<double> v) {
  return quantile(std::move(v), 0.5);
}

Eigen::MatrixXd complete_rows(const Table& t, const std::vector<size_t>& cols) {
  size_t n = t.rows();
  std::vector<size_t> keep;
  keep.reserve(n);
  for (size_t r = 0; r < n; ++r) {
    bool ok = true;
    for (size_t c : cols)
      if (std::isnan(t.data[c][r])) {
        ok = false;
        break;
      }
    if (ok) keep.push_back(r);
  }
  Eigen::MatrixXd x(keep.size(), cols.size());
  for (size_t j = 0; j < cols.size(); ++j) {
    const auto& col = t.data[cols[j]];
    for (size_t i = 0; i < keep.size(); ++i) x(long(i), long(j)) = col[keep[i]];
  }
  return x;
}

Eigen::MatrixXd correlation_matrix(const Eigen::MatrixXd& x,
                                   const std::vector<std::string>& names) {
  long n = x.rows(), p = x.cols();
  if (n < 2) fail("data", fmt::format("{} complete rows: need at least 2 to correlate", n));
  Eigen::RowVectorXd mean = x.colwise().mean();
  Eigen::MatrixXd centered = x.rowwise() - mean;
  Eigen::MatrixXd cov = (centered.transpose() * centered) / double(n - 1);
  std::vector<std::string> constant;
  for (long j = 0; j < p; ++j) {
    double scale = std::max(1.0, std::fabs(mean(j)));
    if (!(cov(j, j) > 1e-24 * scale * scale)) constant.push_back(names.at(size_t(j)));
  }
  if (!constant.empty())
    fail("singular", fmt::format("constant column{}: {} (zero variance, no correlation defined)",
                                 constant.size() > 1 ? "s" : "", fmt::join(constant, ", ")));
  Eigen::VectorXd d = cov.diagonal().cwiseSqrt();
  Eigen::MatrixXd corr = cov.array() / (d * d.transpose()).array();
  corr = corr.cwiseMax(-1.0).cwiseMin(1.0);
  // Collinearity: a (near) zero eigenvalue of the correlation matrix; its eigenvector names
  // the columns involved.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(corr);
  if (es.eigenvalues()(0) < 1e-10) {
    Eigen::VectorXd v = es.eigenvectors().col(0);
    std::vector<std::string> involved;
    for (long j = 0; j < p; ++j)
      if (std::fabs(v(j)) > 0.05) involved.push_back(names.at(size_t(j)));
    fail("singular", fmt::format("collinear columns: {} (the correlation matrix is singular)",
                                 fmt::join(involved, ", ")));
  }
  return corr;
}

}  // namespace internal

CiResult fisher_z(double r, size_t n, size_t cond) {
  if (n < cond + 4)
    internal::fail(
        "data",
        fmt::format(
            "{} samples are too few for a Fisher-z test with {} conditioning variables (need {})",
            n, cond, cond + 4));
  if (std::fabs(r) >= 1) r = (1 - std::numeric_limits<double>::epsilon()) * (r < 0 ? -1 : 1);
  CiResult out;
  out.r = r;
  double z = 0.5 * std::log((1 + r) / (1 - r));
  out.stat = std::sqrt(double(n - cond - 3)) * std::fabs(z);
  out.p = std::erfc(out.stat / std::sqrt(2.0));  // = 2 * (1 - Phi(stat))
  return out;
}

struct FisherZ::Impl {
  Eigen::MatrixXd corr;
  size_t n = 0;
  std::vector<std::string> names;
  mutable std::unordered_map<std::string, CiResult> cache;
};

FisherZ::FisherZ(const Table& t) : impl_(std::make_unique<Impl>()) {
  std::vector<size_t> cols(t.cols());
  for (size_t j = 0; j < cols.size(); ++j) cols[j] = j;
  Eigen::MatrixXd x = internal::complete_rows(t, cols);
  impl_->names = t.columns;
  impl_->n = size_t(x.rows());
  impl_->corr = internal::correlation_matrix(x, t.columns);
}

FisherZ::FisherZ(std::vector<double> corr, size_t p, size_t n, std::vector<std::string> names)
    : impl_(std::make_unique<Impl>()) {
  if (corr.size() != p * p) internal::fail("data", "correlation matrix size mismatch");
  impl_->corr = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      corr.data(), long(p), long(p));
  impl_->n = n;
  impl_->names = std::move(names);
  impl_->names.resize(p);
}

FisherZ::~FisherZ() = default;
FisherZ::FisherZ(FisherZ&&) noexcept = default;
FisherZ& FisherZ::operator=(FisherZ&&) noexcept = default;

size_t FisherZ::samples() const {
  return impl_->n;
}
size_t FisherZ::variables() const {
  return size_t(impl_->corr.rows());
}
double FisherZ::corr(size_t x, size_t y) const {
  return impl_->corr(long(x), long(y));
}
size_t FisherZ::tests_run() const {
  return impl_->cache.size();
}

CiResult FisherZ::test(size_t x, size_t y, const std::vector<size_t>& z) const {
  size_t p = variables();
  if (x >= p || y >= p || x == y) internal::fail("data", "Fisher-z: bad variable indices");
  std::vector<uint32_t> key;
  key.reserve(z.size() + 2);
  key.push_back(uint32_t(std::min(x, y)));
  key.push_back(uint32_t(std::max(x, y)));
  std::vector<uint32_t> zs;
  for (size_t v : z) {
    if (v >= p || v == x || v == y)
      internal::fail("data", "Fisher-z: conditioning set overlaps x/y or is out of range");
    zs.push_back(uint32_t(v));
  }
  std::sort(zs.begin(), zs.end());
  zs.erase(std::unique(zs.begin(), zs.end()), zs.end());
  key.insert(key.end(), zs.begin(), zs.end());
  std::string k(reinterpret_cast<const char*>(key.data()), key.size() * sizeof(uint32_t));
  if (auto it = impl_->cache.find(k); it != impl_->cache.end()) return it->second;

  double r;
  if (zs.empty()) {
    r = impl_->corr(long(x), long(y));
  } else {
    long m = long(zs.size()) + 2;
    Eigen::MatrixXd sub(m, m);
    std::vector<long> idx{long(key[0]), long(key[1])};
    for (uint32_t v : zs) idx.push_back(long(v));
    for (long i = 0; i < m; ++i)
      for (long j = 0; j < m; ++j) sub(i, j) = impl_->corr(idx[size_t(i)], idx[size_t(j)]);
    Eigen::PartialPivLU<Eigen::MatrixXd> lu(sub);
    Eigen::MatrixXd inv = lu.inverse();
    double denom = inv(0, 0) * inv(1, 1);
    if (!std::isfinite(denom) || denom <= 0 || std::fabs(lu.determinant()) < 1e-14) {
      std::vector<std::string> names;
      for (long i : idx) names.push_back(impl_->names[size_t(i)]);
      internal::fail("singular",
                     fmt::format("the correlation matrix of {} is singular (collinear columns)",
                                 fmt::join(names, ", ")));
    }
    r = -inv(0, 1) / std::sqrt(denom);
  }
  CiResult res = fisher_z(r, impl_->n, zs.size());
  impl_->cache.emplace(std::move(k), res);
  return res;
}

}  // namespace omen::causal
