// OpenSLO import: OpenSLO v1 documents (SLO, SLI, AlertPolicy, AlertCondition) to Omen
// source, series declarations and intents (docs/intents.md, "Importing OpenSLO").
#pragma once

#include <string>
#include <vector>

namespace omen {

/// The outcome of import_openslo().
struct OpenSloImport {
  /// False on the first error; `error` says where.
  bool ok = false;
  /// The Omen source (comments, series declarations, intents); it passes `omen check`.
  std::string source;
  /// "FILE:LINE:COL: error: KIND NAME: FIELD: message" when !ok.
  std::string error;
  /// Lossy mappings, one line each ("FILE: warning: SLO NAME: ...").
  std::vector<std::string> warnings;
};

/// Reads OpenSLO v1 YAML files (several documents per file allowed; references between
/// files resolve) and converts every SLO to Omen intents. Deterministic: the same files
/// give the same text.
OpenSloImport import_openslo(const std::vector<std::string>& paths);

}  // namespace omen
