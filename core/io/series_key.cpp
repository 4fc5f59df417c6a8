// Series keys: `name{a="x",b="y"}` selectors (equality only) and the long CSV labels cell.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/io/dataset.h"
#include "core/io/reader_util.h"

namespace omen::io {

namespace detail {

namespace {

bool is_name_start(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool is_name_char(char c, bool colon) {
  return is_name_start(c, colon) || (c >= '0' && c <= '9');
}

bool is_name(std::string_view s, bool colon) {
  if (s.empty() || !is_name_start(s[0], colon)) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) { return is_name_char(c, colon); });
}

// Recursive-descent parser over one selector; offsets in messages are 0-based bytes.
class KeyParser {
 public:
  explicit KeyParser(std::string_view s) : s_(s) {}

  [[noreturn]] void fail(const std::string& message, size_t at) const {
    throw std::invalid_argument(fmt::format("{} at offset {}", message, at));
  }
  [[noreturn]] void fail(const std::string& message) const { fail(message, i_); }

  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  size_t pos() const { return i_; }
  void skip_ws() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }

  std::string_view name(bool colon) {
    size_t start = i_;
    if (!done() && is_name_start(s_[i_], colon)) {
      ++i_;
      while (!done() && is_name_char(s_[i_], colon)) ++i_;
    }
    return s_.substr(start, i_ - start);
  }

  std::string quoted_value() {
    if (peek() != '"') fail("expected '\"' to start a label value");
    size_t open = i_++;
    std::string value;
    for (;;) {
      if (done()) fail("unterminated label value", open);
      char c = s_[i_++];
      if (c == '"') return value;
      if (c != '\\') {
        value.push_back(c);
        continue;
      }
      if (done()) fail("unterminated label value", open);
      char e = s_[i_++];
      switch (e) {
        case '"':
          value.push_back('"');
          break;
        case '\\':
          value.push_back('\\');
          break;
        case 'n':
          value.push_back('\n');
          break;
        default:
          fail(fmt::format("unknown escape '\\{}' in label value", e), i_ - 2);
      }
    }
  }

  // `{a="x", b="y"}`; the current character is '{'. Empty values are kept here.
  void label_block(Labels& labels, std::vector<size_t>& offsets) {
    size_t open = i_++;
    for (;;) {
      skip_ws();
      if (done()) fail("missing '}'", open);
      if (peek() == '}') {
        ++i_;
        return;
      }
      size_t at = i_;
      std::string_view label = name(false);
      if (label.empty()) fail("expected a label name");
      skip_ws();
      if (peek() == '!' || (peek() == '=' && i_ + 1 < s_.size() && s_[i_ + 1] == '~')) {
        fail("only '=' matchers are allowed in a series key");
      }
      if (peek() != '=') fail(fmt::format("expected '=' after label name \"{}\"", label));
      ++i_;
      skip_ws();
      labels.emplace_back(std::string(label), quoted_value());
      offsets.push_back(at);
      skip_ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == '}') continue;
      if (done()) fail("missing '}'", open);
      fail(fmt::format("expected ',' or '}}', found '{}'", peek()));
    }
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

void check_duplicates(const KeyParser& p, const Labels& labels,
                      const std::vector<size_t>& offsets) {
  for (size_t i = 1; i < labels.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (labels[i].first == labels[j].first) {
        p.fail(fmt::format("duplicate label \"{}\"", labels[i].first), offsets[i]);
      }
    }
  }
}

// Rejects duplicate names and drops empty values (an empty value means "no such label", as in
// Prometheus), then sorts.
Labels finish_labels(const KeyParser& p, Labels labels, const std::vector<size_t>& offsets) {
  check_duplicates(p, labels, offsets);
  std::erase_if(labels, [](const auto& l) { return l.second.empty(); });
  return normalize_labels(std::move(labels));
}

}  // namespace

bool is_metric_name(std::string_view s) {
  return is_name(s, true);
}
bool is_label_name(std::string_view s) {
  return is_name(s, false);
}

Labels parse_labels_cell(std::string_view text) {
  text = trim(text);
  Labels labels;
  if (text.empty()) return labels;
  if (text[0] == '{') {
    KeyParser p(text);
    std::vector<size_t> offsets;
    p.label_block(labels, offsets);
    p.skip_ws();
    if (!p.done()) p.fail(fmt::format("unexpected '{}' after '}}'", p.peek()));
    return finish_labels(p, std::move(labels), offsets);
  }
  // k=v;k2=v2 (spaces around names and values are ignored; a trailing ';' is fine).
  KeyParser p(text);
  std::vector<size_t> offsets;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    if (!trim(part).empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        p.fail(fmt::format("expected name=value, found \"{}\"", trim(part)), start);
      }
      std::string_view name = trim(part.substr(0, eq));
      if (!is_label_name(name)) {
        p.fail(fmt::format("bad label name \"{}\"", name), start);
      }
      labels.emplace_back(std::string(name), std::string(trim(part.substr(eq + 1))));
      offsets.push_back(start);
    }
    start = end + 1;
  }
  return finish_labels(p, std::move(labels), offsets);
}

void merge_labels(SeriesKey& key, Labels extra) {
  if (extra.empty()) return;
  for (auto& label : extra) {
    auto it = std::find_if(key.labels.begin(), key.labels.end(),
                           [&](const auto& l) { return l.first == label.first; });
    if (it == key.labels.end()) {
      key.labels.push_back(std::move(label));
    } else if (it->second != label.second) {
      throw std::invalid_argument(
          fmt::format("label \"{}\" is \"{}\" in the series but \"{}\" in the labels", label.first,
                      it->second, label.second));
    }
  }
  key.labels = normalize_labels(std::move(key.labels));
}

}  // namespace detail

SeriesKey parse_series_key(std::string_view text) {
  detail::KeyParser p(text);
  p.skip_ws();
  SeriesKey key;
  size_t name_at = p.pos();
  key.name = std::string(p.name(true));
  if (key.name.empty() && p.peek() != '{') {
    if (p.done()) p.fail("empty series key");
    p.fail(fmt::format("expected a metric name, found '{}'", p.peek()));
  }
  p.skip_ws();
  Labels labels;
  std::vector<size_t> offsets;
  if (p.peek() == '{') p.label_block(labels, offsets);
  p.skip_ws();
  if (!p.done()) p.fail(fmt::format("unexpected '{}'", p.peek()));

  // `{__name__="cpu"}` names the metric too.
  detail::check_duplicates(p, labels, offsets);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].first != "__name__") continue;
    if (!key.name.empty() && key.name != labels[i].second) {
      p.fail("metric name given twice", offsets[i]);
    }
    if (!detail::is_metric_name(labels[i].second)) {
      p.fail(fmt::format("bad metric name \"{}\"", labels[i].second), offsets[i]);
    }
    key.name = labels[i].second;
    labels.erase(labels.begin() + static_cast<ptrdiff_t>(i));
    offsets.erase(offsets.begin() + static_cast<ptrdiff_t>(i));
    break;
  }
  if (key.name.empty()) p.fail("missing metric name", name_at);
  key.labels = detail::finish_labels(p, std::move(labels), offsets);
  return key;
}

}  // namespace omen::io
