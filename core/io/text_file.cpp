#include "core/io/text_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

namespace omen::io {

ReadStatus read_text_file(const std::string& path, size_t max_bytes, std::string* out, int* error) {
  out->clear();
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    if (error) *error = errno;
    return ReadStatus::Error;
  }
  char buf[1 << 16];
  while (true) {
    size_t want = std::min(sizeof buf, max_bytes + 1 - out->size());
    size_t n = std::fread(buf, 1, want, f.get());
    out->append(buf, n);
    if (out->size() > max_bytes) {
      out->clear();
      return ReadStatus::TooLarge;
    }
    if (n < want) break;
  }
  if (std::ferror(f.get())) {
    if (error) *error = errno ? errno : EIO;
    out->clear();
    return ReadStatus::Error;
  }
  return ReadStatus::Ok;
}

}  // namespace omen::io
