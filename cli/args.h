// A small, strict command-line parser shared by the subcommands: `--name value`,
// `--name=value`, boolean `--flag`, and positionals. Unknown options are errors.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace omen::cli {

class Args {
 public:
  /// `value_opts`: options that take a value; `flag_opts`: boolean options.
  Args(int argc, char** argv, const std::vector<std::string>& value_opts,
       const std::vector<std::string>& flag_opts);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  /// Last value given (or `def`).
  std::string get(const std::string& name, const std::string& def = "") const;
  /// Every value given for a repeatable option.
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positional_;
  std::string error_;
};

/// Parses `5m`, `1h30m`, `250ms` into milliseconds; throws std::invalid_argument.
long long parse_duration_arg(const std::string& text);

}  // namespace omen::cli
