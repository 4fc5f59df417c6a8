// The embedded standard library sources (stdlib/*.omen, compiled into the binary).
#pragma once

#include <vector>

namespace omen::stdlib {

struct File {
  const char* name;  // "<std>/std.omen"
  const char* text;
};

const std::vector<File>& files();

}  // namespace omen::stdlib
