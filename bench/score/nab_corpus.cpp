#include "bench/score/nab_corpus.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace omen::bench {
namespace {

bool read_all(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Splits `text` into lines without their line ending.
std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    pos = nl + 1;
  }
  return out;
}

}  // namespace

score::Result<NabFile> load_nab_csv(const std::string& path) {
  std::string text;
  if (!read_all(path, &text)) return score::Diagnostic{path, 0, "cannot read"};
  const auto ls = lines(text);
  if (ls.empty() || ls[0] != "timestamp,value") {
    return score::Diagnostic{path, 1, "expected the header 'timestamp,value'"};
  }
  NabFile f;
  for (size_t i = 1; i < ls.size(); ++i) {
    if (ls[i].empty()) continue;
    const size_t comma = ls[i].find(',');
    if (comma == std::string_view::npos) return score::Diagnostic{path, i + 1, "expected 2 fields"};
    const auto t = score::parse_time(ls[i].substr(0, comma));
    if (!t) return score::Diagnostic{path, i + 1, "bad timestamp"};
    const std::string v(ls[i].substr(comma + 1));
    char* end = nullptr;
    const double value = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0') return score::Diagnostic{path, i + 1, "bad value"};
    f.times.push_back(*t);
    f.values.push_back(value);
  }
  return f;
}

score::Result<std::vector<NabFile>> load_nab_corpus(const std::string& data_dir) {
  auto labels = score::read_nab_windows_all(data_dir + "/labels/combined_windows.json");
  if (!labels.ok()) return labels.error();
  std::vector<NabFile> out;
  for (const auto& [key, set] : labels.value()) {
    auto f = load_nab_csv(data_dir + "/data/" + key);
    if (!f.ok()) return f.error();
    f.value().key = key;
    f.value().windows = set.windows;
    out.push_back(std::move(f.value()));
  }
  return out;
}

score::Result<std::map<std::string, double>> load_reference_scores(const std::string& path) {
  std::string text;
  if (!read_all(path, &text)) return score::Diagnostic{path, 0, "cannot read"};
  std::map<std::string, double> out;
  const auto ls = lines(text);
  for (size_t i = 1; i < ls.size(); ++i) {
    std::vector<std::string> f;
    size_t pos = 0;
    const std::string_view line = ls[i];
    while (pos <= line.size()) {
      size_t c = line.find(',', pos);
      if (c == std::string_view::npos) c = line.size();
      f.emplace_back(line.substr(pos, c - pos));
      pos = c + 1;
    }
    if (f.size() < 5 || f[0] == "Totals") continue;
    out[f[2]] = std::strtod(f[4].c_str(), nullptr);
  }
  return out;
}

}  // namespace omen::bench
