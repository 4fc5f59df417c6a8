// Reading the NAB corpus for the scorer benchmark: data/<category>/<file>.csv (header
// `timestamp,value`, timestamps `YYYY-MM-DD HH:MM:SS`) and labels/combined_windows.json.
// Rows are kept in file order, as NAB keeps them (one series has a timestamp that goes back).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "omen/score.h"

namespace omen::bench {

/// One NAB series with its labels; `scores` is filled in by a detector.
struct NabFile {
  std::string key;                     ///< e.g. realKnownCause/nyc_taxi.csv
  std::vector<TimeMs> times;           ///< file order
  std::vector<double> values;          ///< file order
  std::vector<score::Window> windows;  ///< from combined_windows.json
  std::vector<double> scores;          ///< detector output
};

/// Every series named in DATA_DIR/labels/combined_windows.json, in key order.
score::Result<std::vector<NabFile>> load_nab_corpus(const std::string& data_dir);

/// One NAB data CSV (`timestamp,value`).
score::Result<NabFile> load_nab_csv(const std::string& path);

/// NAB's `<detector>_<profile>_scores.csv`: file key -> Score (the Totals row is skipped).
score::Result<std::map<std::string, double>> load_reference_scores(const std::string& path);

}  // namespace omen::bench
