// Root-cause ranking: per-metric anomaly scores fitted on a baseline window (BARO's robust
// score, n-sigma), graph methods on component scores (traversal, personalized random walk,
// CIRCA-style regression on parents) and a rank-aggregating ensemble.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "internal.h"
#include "omen/causal.h"

namespace omen::causal {

const char* to_string(RcaMethod m) {
  switch (m) {
    case RcaMethod::Baro:
      return "baro";
    case RcaMethod::NSigma:
      return "nsigma";
    case RcaMethod::Traversal:
      return "traversal";
    case RcaMethod::RandomWalk:
      return "random_walk";
    case RcaMethod::Circa:
      return "circa";
    case RcaMethod::Ensemble:
      return "ensemble";
  }
  return "baro";
}

std::optional<RcaMethod> parse_rca_method(std::string_view t) {
  for (RcaMethod m : {RcaMethod::Baro, RcaMethod::NSigma, RcaMethod::Traversal,
                      RcaMethod::RandomWalk, RcaMethod::Circa, RcaMethod::Ensemble})
    if (t == to_string(m)) return m;
  if (t == "random-walk" || t == "pagerank") return RcaMethod::RandomWalk;
  if (t == "n-sigma") return RcaMethod::NSigma;
  return std::nullopt;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Everything the methods share: components, the graph over them, per-column scores.
struct Model {
  std::vector<std::string> comps;  // components (data first, then graph-only)
  std::map<std::string, size_t> comp_index;
  std::vector<std::vector<size_t>> comp_cols;          // incident columns per component
  std::vector<int> base_col;                           // per incident column: baseline column or -1
  std::vector<double> baro, nsigma;                    // per incident column
  std::vector<std::vector<size_t>> parents, children;  // over components (graph edges)
  bool has_graph = false;
};

// Max |x - center| / scale over the incident rows, minus the same over the pre-incident rows.
double column_score(const std::vector<double>& inc, size_t pre, double center, double scale) {
  double best = 0, before = 0;
  for (size_t r = 0; r < inc.size(); ++r) {
    double x = inc[r];
    if (std::isnan(x)) continue;
    double z = std::fabs(x - center) / scale;
    if (r < pre)
      before = std::max(before, z);
    else
      best = std::max(best, z);
  }
  return std::max(0.0, best - before);
}

// Median and quartiles with numpy's linear interpolation, by selection (no full sort).
struct Quartiles {
  double q1, med, q3;
};
Quartiles quartiles(const std::vector<double>& v, std::vector<double>& buf) {
  buf.clear();
  for (double x : v)
    if (!std::isnan(x)) buf.push_back(x);
  if (buf.empty()) return {kNaN, kNaN, kNaN};
  auto at = [&](double q) {
    double pos = q * double(buf.size() - 1);
    size_t lo = size_t(pos);
    std::nth_element(buf.begin(), buf.begin() + long(lo), buf.end());
    double a = buf[lo];
    if (lo + 1 >= buf.size() || pos == double(lo)) return a;
    double b = *std::min_element(buf.begin() + long(lo) + 1, buf.end());
    return a + (pos - double(lo)) * (b - a);
  };
  Quartiles out;
  out.q1 = at(0.25);
  out.med = at(0.5);
  out.q3 = at(0.75);
  return out;
}

}  // namespace

struct RcaBaseline::Impl {
  Table table;
  std::map<std::string, size_t, std::less<>> index;
  std::vector<Stats> stats;
};

RcaBaseline::RcaBaseline(const Table& base) : impl_(std::make_unique<Impl>()) {
  if (base.rows() == 0) internal::fail("window", "the baseline window is empty");
  impl_->table = base;
  std::vector<double> buf;
  for (size_t c = 0; c < base.cols(); ++c) {
    impl_->index.emplace(base.columns[c], c);
    const auto& b = base.data[c];
    Quartiles q = quartiles(b, buf);
    double sum = 0, sq = 0;
    size_t n = 0;
    for (double x : b)
      if (!std::isnan(x)) sum += x, sq += x * x, ++n;
    double mean = n ? sum / double(n) : kNaN;
    double sd = n ? std::sqrt(std::max(0.0, sq / double(n) - mean * mean)) : kNaN;
    impl_->stats.push_back(Stats{q.med, q.q3 - q.q1, mean, sd, c});
  }
}
RcaBaseline::~RcaBaseline() = default;
RcaBaseline::RcaBaseline(RcaBaseline&&) noexcept = default;
RcaBaseline& RcaBaseline::operator=(RcaBaseline&&) noexcept = default;
const Table& RcaBaseline::table() const {
  return impl_->table;
}
const RcaBaseline::Stats* RcaBaseline::stats(const std::string& name) const {
  auto it = impl_->index.find(name);
  return it == impl_->index.end() ? nullptr : &impl_->stats[it->second];
}

namespace {

Model build(const RcaBaseline& rb, const Table& inc, const Graph* g, size_t pre) {
  if (inc.rows() <= pre) internal::fail("window", "the incident window is empty");
  Model m;
  size_t p = inc.cols();
  m.base_col.assign(p, -1);
  m.baro.assign(p, 0);
  m.nsigma.assign(p, 0);
  for (size_t c = 0; c < p; ++c) {
    const RcaBaseline::Stats* st = rb.stats(inc.columns[c]);
    if (!st) continue;
    m.base_col[c] = int(st->column);
    if (std::isnan(st->median)) continue;  // no baseline values: nothing to compare with
    // As sklearn's RobustScaler (BARO): a zero scale is replaced by 1.
    m.baro[c] = column_score(inc.data[c], pre, st->median, st->iqr > 0 ? st->iqr : 1.0);
    m.nsigma[c] = column_score(inc.data[c], pre, st->mean, st->sd > 0 ? st->sd : 1.0);
  }
  auto add_comp = [&](const std::string& name) {
    auto [it, fresh] = m.comp_index.emplace(name, m.comps.size());
    if (fresh) {
      m.comps.push_back(name);
      m.comp_cols.emplace_back();
    }
    return it->second;
  };
  for (size_t c = 0; c < p; ++c) m.comp_cols[add_comp(inc.components[c])].push_back(c);
  if (g) {
    m.has_graph = true;
    for (const Node& n : g->nodes()) add_comp(n.name);
    m.parents.assign(m.comps.size(), {});
    m.children.assign(m.comps.size(), {});
    for (const Edge& e : g->edges()) {
      if (e.undirected) continue;
      size_t a = m.comp_index[g->node(e.from).name], b = m.comp_index[g->node(e.to).name];
      m.parents[b].push_back(a);
      m.children[a].push_back(b);
    }
  }
  return m;
}

// Component score = max over its columns; also returns the arg-max column.
std::vector<double> comp_scores(const Model& m, const std::vector<double>& col,
                                std::vector<int>* best = nullptr) {
  std::vector<double> out(m.comps.size(), 0);
  if (best) best->assign(m.comps.size(), -1);
  for (size_t k = 0; k < m.comps.size(); ++k)
    for (size_t c : m.comp_cols[k]) {
      if (best && ((*best)[k] < 0 || col[c] > out[k])) (*best)[k] = int(c);
      out[k] = std::max(out[k], col[c]);
    }
  return out;
}

std::vector<size_t> order_by(const std::vector<double>& score, const std::vector<double>& tie) {
  std::vector<size_t> idx(score.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (score[a] != score[b]) return score[a] > score[b];
    return tie[a] > tie[b];
  });
  return idx;
}

std::vector<double> traversal(const Model& m, const std::vector<double>& s, double thr) {
  // Roots of the anomalous subgraph first (anomalous, no anomalous parent), then the other
  // anomalous nodes, then the rest; within a group by anomaly score.
  std::vector<double> out(s.size());
  double top = 1;
  for (double x : s) top = std::max(top, x);
  for (size_t v = 0; v < s.size(); ++v) {
    bool anomalous = s[v] >= thr;
    bool anomalous_parent = false;
    for (size_t q : m.parents[v]) anomalous_parent |= s[q] >= thr;
    double group = anomalous ? (anomalous_parent ? 1 : 2) : 0;
    out[v] = group + s[v] / (top + 1);
  }
  return out;
}

std::vector<double> random_walk(const Model& m, const std::vector<double>& s, const RcaOptions& o) {
  size_t n = s.size();
  double top = 0;
  for (double x : s) top = std::max(top, x);
  if (top <= 0) return std::vector<double>(n, 0);
  std::vector<double> a(n), pers(n);
  double psum = 0;
  for (size_t v = 0; v < n; ++v) {
    a[v] = s[v] / top;
    pers[v] = a[v];
    psum += pers[v];
  }
  for (double& x : pers) x /= psum;
  // Walk from effects to causes: v -> parent u with weight a(u); a self-loop weighted a(v)
  // lets the walker stay at an anomalous node whose causes look normal.
  std::vector<std::vector<std::pair<size_t, double>>> out(n);
  for (size_t v = 0; v < n; ++v) {
    double total = 0;
    for (size_t u : m.parents[v]) total += a[u] + 1e-6;
    total += a[v] + 1e-6;
    for (size_t u : m.parents[v]) out[v].emplace_back(u, (a[u] + 1e-6) / total);
    out[v].emplace_back(v, (a[v] + 1e-6) / total);
  }
  std::vector<double> pi = pers, next(n);
  for (int it = 0; it < o.walk_iterations; ++it) {
    std::fill(next.begin(), next.end(), 0.0);
    for (size_t v = 0; v < n; ++v)
      for (auto [u, w] : out[v]) next[u] += (1 - o.restart) * pi[v] * w;
    double diff = 0;
    for (size_t v = 0; v < n; ++v) {
      next[v] += o.restart * pers[v];
      diff += std::fabs(next[v] - pi[v]);
    }
    pi.swap(next);
    if (diff < 1e-10) break;
  }
  return pi;
}

std::vector<double> circa(const Model& m, const Table& base, const Table& inc,
                          const std::vector<double>& s, const std::vector<int>& rep, size_t pre) {
  // Each component is represented by its most anomalous column. Regress it on its parents'
  // representative columns over the baseline; score the incident residuals in units of the
  // baseline residual deviation. Components without parents keep their robust score.
  std::vector<double> out = s;
  for (size_t v = 0; v < m.comps.size(); ++v) {
    if (rep[v] < 0 || m.base_col[size_t(rep[v])] < 0) continue;
    std::vector<size_t> ps;
    for (size_t q : m.parents[v])
      if (rep[q] >= 0 && m.base_col[size_t(rep[q])] >= 0) ps.push_back(q);
    if (ps.empty()) continue;
    auto value = [&](const Table& t, size_t col, size_t r) { return t.data[col][r]; };
    size_t yb = size_t(m.base_col[size_t(rep[v])]);
    std::vector<size_t> rows;
    for (size_t r = 0; r < base.rows(); ++r) {
      bool ok = !std::isnan(value(base, yb, r));
      for (size_t q : ps)
        ok = ok && !std::isnan(value(base, size_t(m.base_col[size_t(rep[q])]), r));
      if (ok) rows.push_back(r);
    }
    if (rows.size() < ps.size() + 3) continue;
    long k = long(ps.size()) + 1;
    Eigen::MatrixXd x(long(rows.size()), k);
    Eigen::VectorXd y(long(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      x(long(i), 0) = 1;
      for (size_t j = 0; j < ps.size(); ++j)
        x(long(i), long(j) + 1) = value(base, size_t(m.base_col[size_t(rep[ps[j]])]), rows[i]);
      y(long(i)) = value(base, yb, rows[i]);
    }
    // A small ridge keeps constant or collinear parents harmless.
    Eigen::MatrixXd xtx = x.transpose() * x;
    xtx.diagonal().array() += 1e-8 * (1 + xtx.diagonal().array());
    Eigen::VectorXd beta = xtx.ldlt().solve(x.transpose() * y);
    Eigen::VectorXd resid = y - x * beta;
    double sd = std::sqrt(resid.squaredNorm() / double(std::max<long>(1, long(rows.size()) - k)));
    if (!(sd > 0)) sd = 1;
    double best = 0, before = 0;
    for (size_t r = 0; r < inc.rows(); ++r) {
      double yv = inc.data[size_t(rep[v])][r];
      if (std::isnan(yv)) continue;
      double pred = beta(0);
      bool ok = true;
      for (size_t j = 0; j < ps.size(); ++j) {
        double xv = inc.data[size_t(rep[ps[j]])][r];
        if (std::isnan(xv)) ok = false;
        pred += beta(long(j) + 1) * xv;
      }
      if (!ok) continue;
      double z = std::fabs(yv - pred) / sd;
      (r < pre ? before : best) = std::max(r < pre ? before : best, z);
    }
    out[v] = std::max(0.0, best - before);
  }
  return out;
}

std::vector<size_t> shortest_path(const Model& m, size_t from, size_t to) {
  if (from == to) return {from};
  std::vector<long> prev(m.comps.size(), -1);
  std::deque<size_t> q{from};
  prev[from] = long(from);
  while (!q.empty()) {
    size_t u = q.front();
    q.pop_front();
    for (size_t w : m.children[u])
      if (prev[w] < 0) {
        prev[w] = long(u);
        if (w == to) {
          std::vector<size_t> path{to};
          while (path.back() != from) path.push_back(size_t(prev[path.back()]));
          std::reverse(path.begin(), path.end());
          return path;
        }
        q.push_back(w);
      }
  }
  return {};
}

}  // namespace

RcaResult rca(const Table& baseline, const Table& incident, const Graph* graph,
              const RcaOptions& o) {
  return rca(RcaBaseline(baseline), incident, graph, o);
}

RcaResult rca(const RcaBaseline& rb, const Table& incident, const Graph* graph,
              const RcaOptions& o) {
  const Table& baseline = rb.table();
  bool needs_graph = o.method == RcaMethod::Traversal || o.method == RcaMethod::RandomWalk ||
                     o.method == RcaMethod::Circa;
  if (needs_graph && !graph)
    internal::fail("data", fmt::format("rca method {} needs a graph", to_string(o.method)));
  Model m = build(rb, incident, graph, o.pre_incident_rows);
  std::vector<int> rep;
  std::vector<double> baro = comp_scores(m, m.baro, &rep);
  std::vector<double> score;
  switch (o.method) {
    case RcaMethod::Baro:
      score = baro;
      break;
    case RcaMethod::NSigma:
      score = comp_scores(m, m.nsigma);
      break;
    case RcaMethod::Traversal:
      score = traversal(m, baro, o.threshold);
      break;
    case RcaMethod::RandomWalk:
      score = random_walk(m, baro, o);
      break;
    case RcaMethod::Circa:
      score = circa(m, baseline, incident, baro, rep, o.pre_incident_rows);
      break;
    case RcaMethod::Ensemble: {
      // The members that rank well on their own (see docs/causal.md): n-sigma, and with a
      // graph CIRCA and the random walk; BARO only without a graph.
      std::vector<std::vector<double>> all{comp_scores(m, m.nsigma)};
      if (graph) {
        all.push_back(random_walk(m, baro, o));
        all.push_back(circa(m, baseline, incident, baro, rep, o.pre_incident_rows));
      } else {
        all.push_back(baro);
      }
      // Reciprocal rank fusion: sum of 1 / (k + rank), so agreement near the top counts
      // most; ties broken by the BARO score.
      const double k = 2;
      size_t n = m.comps.size();
      score.assign(n, 0);
      for (const auto& s : all) {
        auto ord = order_by(s, baro);
        for (size_t pos = 0; pos < n; ++pos) score[ord[pos]] += 1.0 / (k + double(pos + 1));
      }
      break;
    }
  }
  RcaResult res;
  res.method = o.method;
  size_t symptom = 0;
  if (!o.target.empty() && m.comp_index.count(o.target)) {
    symptom = m.comp_index.at(o.target);
  } else {
    for (size_t v = 0; v < baro.size(); ++v)
      if (baro[v] > baro[symptom]) symptom = v;
  }
  res.symptom = m.comps.empty() ? "" : m.comps[symptom];
  for (size_t v : order_by(score, baro)) {
    RootCause rc;
    rc.component = m.comps[v];
    rc.score = score[v];
    if (rep[v] >= 0) rc.column = incident.columns[size_t(rep[v])];
    if (m.has_graph)
      for (size_t u : shortest_path(m, v, symptom)) rc.path.push_back(m.comps[u]);
    res.ranking.push_back(std::move(rc));
  }
  return res;
}

std::string to_json(const RcaResult& r, size_t top) {
  nlohmann::ordered_json j;
  j["method"] = to_string(r.method);
  j["symptom"] = r.symptom;
  j["ranking"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < r.ranking.size() && i < top; ++i) {
    const auto& c = r.ranking[i];
    nlohmann::ordered_json jc{
        {"rank", i + 1}, {"component", c.component}, {"score", c.score}, {"column", c.column}};
    jc["path"] = c.path;
    j["ranking"].push_back(jc);
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string to_text(const RcaResult& r, size_t top) {
  std::string out = fmt::format("method {}, symptom {}\n", to_string(r.method), r.symptom);
  for (size_t i = 0; i < r.ranking.size() && i < top; ++i) {
    const auto& c = r.ranking[i];
    out += fmt::format("{:>3}. {}  score {:.4g}", i + 1, c.component, c.score);
    if (!c.column.empty()) out += fmt::format("  ({})", c.column);
    if (c.path.size() > 1) out += fmt::format("  path: {}", fmt::join(c.path, " -> "));
    out += "\n";
  }
  return out;
}

}  // namespace omen::causal
