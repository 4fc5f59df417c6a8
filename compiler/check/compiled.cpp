#include "compiler/check/compiled.h"

#include <algorithm>

namespace omen {

const char* CompiledAggregate::op_name(Op op) {
  switch (op) {
    case Sum:
      return "sum";
    case Avg:
      return "avg";
    case Min:
      return "min";
    case Max:
      return "max";
    case Count:
      return "count";
    case CounterSum:
      return "counter_sum";
  }
  return "?";
}

bool LabelMatcher::matches(const Labels& labels) const {
  // A missing label matches as the empty string, as in Prometheus.
  auto it = std::lower_bound(labels.begin(), labels.end(), label,
                             [](const auto& kv, const std::string& k) { return kv.first < k; });
  const std::string empty;
  const std::string& v = (it != labels.end() && it->first == label) ? it->second : empty;
  switch (op) {
    case ast::MatchOp::Eq:
      return v == value;
    case ast::MatchOp::Ne:
      return v != value;
    case ast::MatchOp::Re:
      return std::regex_match(v, *re);
    case ast::MatchOp::NotRe:
      return !std::regex_match(v, *re);
  }
  return false;
}

bool SeriesSelector::matches(const SeriesKey& key) const {
  if (key.name != metric) return false;
  for (const auto& m : matchers)
    if (!m.matches(key.labels)) return false;
  return true;
}

std::string SeriesSelector::to_string() const {
  std::string out = metric;
  if (matchers.empty()) return out;
  out += "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i) out += ",";
    out += matchers[i].label + ast::match_op_text(matchers[i].op) + ast::quote(matchers[i].value);
  }
  return out + "}";
}

}  // namespace omen
