#include "cli/args.h"

#include <algorithm>

#include "core/support/time.h"

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
  const auto ms = support::parse_duration(text);
  if (!ms || *ms <= 0) {
    throw std::invalid_argument("bad duration '" + text + "' (examples: 5m, 1h30m, 250ms)");
  }
  return *ms;
}

}  // namespace omen::cli
