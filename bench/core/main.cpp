// omen_core_bench: the core benchmarks of docs/benchmarks.md (run them all with
// scripts/bench.sh). Each subcommand prints markdown tables to stdout, progress to stderr.
//
//   omen_core_bench throughput [--quick] [--reps N] [--series S] [--samples N]
//                              [--out DIR] [--python "CMD" --python-script FILE]
//                              [--shapes abcd] [--variants interp,jit,hand,kernel]
//     (--shapes / --variants select a part, e.g. to profile one engine tier alone)
//   omen_core_bench compile    [--quick] [--reps N] [--out DIR]
//   omen_core_bench rules1000  [--quick] [--reps N] [--out DIR] [--omen PATH]
//   omen_core_bench memory     [--quick] [--series S]
//   omen_core_bench push       [--quick] [--reps N] [--series S] [--samples MINUTES]
#include <fstream>
#include <string>

#include "bench/core/common.h"

namespace bench {

long proc_status_kb(const char* field) {
  std::ifstream f("/proc/self/status");
  std::string line, want = std::string(field) + ":";
  while (std::getline(f, line))
    if (line.compare(0, want.size(), want) == 0) return std::stol(line.substr(want.size()));
  return -1;
}

}  // namespace bench

namespace {

int usage(const char* argv0) {
  fmt::print(
      stderr,
      "usage: {} throughput|compile|rules1000|memory|push [--quick] [--reps N] [--series S]\n"
      "       [--samples N] [--out DIR] [--python CMD] [--python-script FILE] "
      "[--omen PATH]\n",
      argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(argv[0]);
  std::string cmd = argv[1];
  bench::Options o;
  o.self = "/proc/self/exe";
  bool reps_given = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        fmt::print(stderr, "{} needs a value\n", a);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick")
      o.quick = true;
    else if (a == "--reps")
      o.reps = std::stoi(val()), reps_given = true;
    else if (a == "--series")
      o.series = std::stoul(val());
    else if (a == "--samples")
      o.samples = std::stoul(val());
    else if (a == "--out")
      o.out_dir = val();
    else if (a == "--python")
      o.python = val();
    else if (a == "--python-script")
      o.python_script = val();
    else if (a == "--omen")
      o.omen_cli = val();
    else if (a == "--shapes")
      o.shapes = val();
    else if (a == "--variants")
      o.variants = val();
    else
      o.rest.push_back(a);
  }
  (void)reps_given;
  if (o.reps < 1) o.reps = 1;
  try {
    if (cmd == "throughput") return bench::run_throughput(o);
    if (cmd == "compile") return bench::run_compile(o);
    if (cmd == "rules1000") return bench::run_rules1000(o);
    if (cmd == "memory") return bench::run_memory(o);
    if (cmd == "memory-child") return bench::run_memory_child(o);
    if (cmd == "push") return bench::run_push(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", cmd, e.what());
    return 1;
  }
  return usage(argv[0]);
}
