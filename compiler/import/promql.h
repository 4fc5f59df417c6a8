// Internal to compiler/import: the PromQL the OpenSLO importer reads from a metricSource's
// spec.query, a simple selector `metric{label op "value", ...}` and, for ratio counters,
// rate/increase/sum wrappers around one.
#pragma once

#include <string>
#include <vector>

namespace omen::openslo {

struct PromMatcher {
  std::string label, op, value;
};
struct PromSelector {
  std::string metric;
  std::vector<PromMatcher> matchers;
};

/// Parses `query` as a simple selector; false with *why set otherwise.
bool parse_selector(const std::string& query, PromSelector* out, std::string* why);

/// A counter query of a ratio metric: SEL, rate(SEL[r]), increase(SEL[r]), each optionally
/// wrapped in sum(...), `sum by (l) (...)` or `sum(...) by (l)`; *by gets the `by` labels.
bool parse_counter_query(const std::string& query, PromSelector* out, std::vector<std::string>* by,
                         std::string* why);

}  // namespace omen::openslo
