// omen import openslo FILE.yaml...: a thin wrapper over import_openslo()
// (include/omen/openslo.h, compiler/import/openslo.cpp).
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "omen/openslo.h"

namespace omen::cli {

int run_import(int argc, char** argv) {
  const char* usage = "omen import openslo FILE.yaml... [--output FILE.omen]";
  Args args(argc, argv, {"output"}, {"help"});
  if (args.flag("help")) return std::printf("%s\n", usage), 0;
  if (!args.ok()) {
    std::fprintf(stderr, "omen import: %s\nusage: %s\n", args.error().c_str(), usage);
    return 2;
  }
  const auto& pos = args.positional();
  if (pos.empty() || pos[0] != "openslo") {
    std::fprintf(stderr, "omen import: the only format is openslo\nusage: %s\n", usage);
    return 2;
  }
  if (pos.size() < 2) {
    std::fprintf(stderr, "omen import: no YAML files given\nusage: %s\n", usage);
    return 2;
  }
  OpenSloImport r = import_openslo(std::vector<std::string>(pos.begin() + 1, pos.end()));
  if (!r.ok) {
    std::fprintf(stderr, "%s\n", r.error.c_str());
    return 1;
  }
  for (const auto& w : r.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (args.has("output")) {
    std::ofstream f(args.get("output"));
    f << r.source;
    if (!f) {
      std::fprintf(stderr, "omen import: cannot write %s\n", args.get("output").c_str());
      return 1;
    }
    return 0;
  }
  std::fwrite(r.source.data(), 1, r.source.size(), stdout);
  return 0;
}

}  // namespace omen::cli
