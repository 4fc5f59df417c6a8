// The entry point of libomen_jit.so (plugin.h): the only symbol the plugin exports
// (plugin.map).
#include "compiler/jit/plugin.h"

extern "C" __attribute__((visibility("default"))) const omen::jit::PluginApi* omen_jit_plugin_v1() {
  static const std::string key = omen::jit::plugin_build_key();
  static const omen::jit::PluginApi api{key.c_str(), &omen::jit::create_with_symbols};
  return &api;
}
