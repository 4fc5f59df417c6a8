#include "omen/data.h"

#include <unordered_map>

#include "core/io/dataset.h"

namespace omen {

DataReadResult read_data_file(const std::string& path, const DataReadOptions& options,
                              Batch& batch) {
  DataReadResult r;
  io::Dataset ds;
  io::ReadOptions ro;
  ro.skip_bad_rows = options.skip_bad_rows;
  ro.max_rows = options.max_rows;
  try {
    io::read_file(path, ro, ds);
  } catch (const io::DataError& e) {
    r.error = e.what();
    const auto line = static_cast<uint32_t>(e.line()), col = static_cast<uint32_t>(e.col());
    Range at{line, col, line, col + 1};
    if (col == 0) at = {line, 1, line, 1};  // the whole line
    r.diagnostics.push_back(
        make_diagnostic(line == 0 ? DiagCode::E101 : DiagCode::E100, e.message(), e.file(), at));
    return r;
  } catch (const std::exception& e) {
    r.error = path + ": " + e.what();
    r.diagnostics.push_back(make_diagnostic(DiagCode::E101, e.what(), path));
    return r;
  }
  std::unordered_map<std::string, uint32_t> index;
  for (uint32_t i = 0; i < batch.series.size(); ++i)
    index.emplace(format_series(batch.series[i]), i);
  std::vector<uint32_t> map(ds.series.size());
  for (size_t i = 0; i < ds.series.size(); ++i) {
    auto [it, added] =
        index.emplace(format_series(ds.series[i]), static_cast<uint32_t>(batch.series.size()));
    if (added) batch.series.push_back(ds.series[i]);
    map[i] = it->second;
  }
  batch.sid.reserve(batch.sid.size() + ds.size());
  batch.t.reserve(batch.t.size() + ds.size());
  batch.v.reserve(batch.v.size() + ds.size());
  for (size_t i = 0; i < ds.size(); ++i) batch.add(map[ds.sid[i]], ds.t[i], ds.v[i]);
  r.ok = true;
  r.rows = ds.size();
  r.skipped_rows = ds.skipped_rows;
  r.skipped_examples = ds.skipped_examples;
  r.replaced_bytes = ds.replaced_bytes;
  r.replaced_first = ds.replaced_first;
  return r;
}

}  // namespace omen
