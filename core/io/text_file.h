// Reading a whole text file under a size limit: reading stops at the limit, so /dev/zero or
// a huge file costs at most limit + 1 bytes (docs/reliability.md).
#pragma once

#include <cstddef>
#include <string>

namespace omen::io {

enum class ReadStatus { Ok, TooLarge, Error };

/// Reads `path` into `out` if it holds at most `max_bytes` bytes. TooLarge: it holds more
/// (`out` is cleared; at most max_bytes + 1 bytes were read). Error: it cannot be opened or
/// read; `*error` (optional) is the errno.
ReadStatus read_text_file(const std::string& path, size_t max_bytes, std::string* out,
                          int* error = nullptr);

}  // namespace omen::io
