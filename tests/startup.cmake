# Start-up (docs/benchmarks.md, "Start-up"): commands that need no JIT do not load LLVM,
# the JIT still works through its plugin (libomen_jit.so), and a missing plugin is handled:
# tier jit is a clear error, tier auto warns once and runs interpreted. Included by
# tests/CMakeLists.txt; the checks are in tests/startup_check.sh.
if(TARGET omen_jit_plugin)
  find_program(OMEN_READELF readelf)
  add_test(NAME startup:plugin
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/startup_check.sh $<TARGET_FILE:omen_cli>
                   $<TARGET_FILE:omen_jit_plugin> ${PROJECT_SOURCE_DIR} "${OMEN_READELF}"
                   ${CMAKE_CURRENT_BINARY_DIR}/startup)
  set_tests_properties(startup:plugin PROPERTIES TIMEOUT 300)
endif()
