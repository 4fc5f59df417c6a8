// Loads the JIT plugin, libomen_jit.so, on first use (plugin.h). LLVM's shared library
// and its dependencies (about 40 shared objects, ~100 ms of CPU time to map and relocate)
// are loaded only by a process that compiles a rule; `omen check`, `omen --help` and tier
// interp never pay for them. The plugin is never unloaded: native functions and Jits must
// stay valid until the process exits.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "compiler/jit/jit.h"
#include "compiler/jit/plugin.h"

namespace omen::jit {

namespace {

struct Loaded {
  const PluginApi* api = nullptr;
  std::string path;   // where it was loaded from
  std::string error;  // why it was not
};

std::string executable_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<size_t>(n));
  size_t slash = exe.rfind('/');
  return slash == std::string::npos ? "" : exe.substr(0, slash);
}

// One candidate: "" if loaded (*out filled), else why not. A path with a '/' that does not
// exist is skipped quietly (*missing set): most candidates are expected not to exist.
std::string try_load(const std::string& file, Loaded* out, bool* missing) {
  *missing = false;
  if (file.find('/') != std::string::npos && access(file.c_str(), F_OK) != 0) {
    *missing = true;
    return "";
  }
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* e = dlerror();
    std::string why = e ? e : "dlopen failed";
    // By name: "cannot open shared object file" just means it is not on the search path.
    if (file.find('/') == std::string::npos &&
        why.find("cannot open shared object file") != std::string::npos) {
      *missing = true;
      return "";
    }
    return why;
  }
  auto entry = reinterpret_cast<PluginEntryFn>(dlsym(handle, kPluginEntry));
  if (!entry) {
    dlclose(handle);
    return file + ": not an Omen JIT plugin (no " + kPluginEntry + ")";
  }
  const PluginApi* api = entry();
  std::string want = plugin_build_key();
  if (!api || !api->build_key || want != api->build_key) {
    std::string got = api && api->build_key ? api->build_key : "none";
    dlclose(handle);
    return file + ": the JIT plugin comes from another build of Omen (its key: " + got +
           "; this program's: " + want + ")";
  }
  // The file actually loaded (a bare name was resolved by the dynamic linker).
  Dl_info info;
  out->path =
      dladdr(reinterpret_cast<void*>(entry), &info) && info.dli_fname ? info.dli_fname : file;
  out->api = api;
  return "";
}

Loaded load() {
  Loaded out;
  std::vector<std::string> candidates;
  const char* env = std::getenv("OMEN_JIT_LIBRARY");
  if (env && *env) {
    candidates.push_back(env);
  } else {
    std::string dir = executable_dir();
    if (!dir.empty()) {
      candidates.push_back(dir + "/" + kPluginFile);
      candidates.push_back(dir + "/../" OMEN_JIT_INSTALL_LIBDIR "/omen/" + kPluginFile);
    }
    candidates.push_back(kPluginFile);
    candidates.push_back(OMEN_JIT_INSTALL_FULL_LIBDIR "/omen/" + std::string(kPluginFile));
    // The build tree's plugin, for its test and benchmark binaries. They also find it through
    // their RUNPATH, but not under AddressSanitizer: its dlopen interceptor makes the runtime,
    // not the executable, the caller whose RUNPATH applies.
    candidates.push_back(OMEN_JIT_BUILD_DIR "/" + std::string(kPluginFile));
  }
  std::string errors;
  for (const std::string& c : candidates) {
    bool missing = false;
    std::string why = try_load(c, &out, &missing);
    if (out.api) return out;
    if (!missing) errors += (errors.empty() ? "" : "; ") + why;
  }
  if (!errors.empty()) {
    out.error = errors;
  } else if (env && *env) {
    out.error = std::string("the JIT plugin $OMEN_JIT_LIBRARY=") + env + " does not exist";
  } else {
    std::string tried;
    for (const std::string& c : candidates) tried += (tried.empty() ? "" : ", ") + c;
    out.error = std::string("the JIT plugin ") + kPluginFile + " was not found (tried " + tried +
                "); set OMEN_JIT_LIBRARY to its path";
  }
  return out;
}

const Loaded& loaded() {
  static const Loaded l = load();  // thread-safe, once per process
  return l;
}

}  // namespace

bool available(std::string* why) {
  const Loaded& l = loaded();
  if (!l.api && why) *why = l.error;
  return l.api != nullptr;
}

std::string plugin_path() {
  return loaded().path;
}

std::unique_ptr<Jit> Jit::create(const JitOptions& options, std::string* error) {
  const Loaded& l = loaded();
  if (!l.api) {
    if (error) *error = l.error;
    return nullptr;
  }
  // The host's own kernels: JIT code calls exactly what the interpreter calls.
  static const std::vector<RuntimeSymbol> symbols = runtime_symbols();
  return std::unique_ptr<Jit>(l.api->create(options, symbols.data(), symbols.size(), error));
}

}  // namespace omen::jit
