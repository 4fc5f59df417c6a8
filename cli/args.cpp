#include "cli/args.h"

#include <algorithm>

namespace omen::cli {

Args::Args(int argc, char** argv, const std::vector<std::string>& value_opts,
           const std::vector<std::string>& flag_opts) {
  auto is = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() < 3 || a.rfind("--", 0) != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (is(flag_opts, name)) {
      if (has_value) {
        error_ = "option --" + name + " takes no value";
        return;
      }
      flags_[name] = true;
    } else if (is(value_opts, name)) {
      if (!has_value) {
        if (i + 1 >= argc) {
          error_ = "option --" + name + " needs a value";
          return;
        }
        value = argv[++i];
      }
      values_[name].push_back(value);
    } else {
      error_ = "unknown option --" + name;
      return;
    }
  }
}

std::string Args::get(const std::string& name, const std::string& def) const {
  auto it = values_.find(name);
  return it == values_.end() ? def : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

long long parse_duration_arg(const std::string& text) {
  auto bad = [&] {
    return std::invalid_argument("bad duration '" + text + "' (examples: 5m, 1h30m, 250ms)");
  };
  long long total = 0;
  size_t i = 0;
  while (i < text.size()) {
    long long n = 0;
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && n < (1LL << 50))
      n = n * 10 + (text[i++] - '0');
    if (i == start || i == text.size()) throw bad();
    long long unit = 0;
    if (text.compare(i, 2, "ms") == 0) {
      unit = 1;
      i += 2;
    } else {
      switch (text[i++]) {
        case 's':
          unit = 1000;
          break;
        case 'm':
          unit = 60'000;
          break;
        case 'h':
          unit = 3'600'000;
          break;
        case 'd':
          unit = 86'400'000;
          break;
        case 'w':
          unit = 604'800'000;
          break;
        default:
          throw bad();
      }
    }
    total += n * unit;
  }
  if (total <= 0) throw bad();
  return total;
}

}  // namespace omen::cli
