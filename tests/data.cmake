# Data tests: every tests/data/*.omen runs its test blocks in BOTH tiers (and as a
# one-timestamp-at-a-time replay); the alert logs must be identical. Diagnostics cases:
# tests/diag/NAME.omen must produce exactly tests/diag/NAME.err from `omen check`.
file(GLOB OMEN_DATA_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/*.omen)
set(OMEN_TEST_TIER both)
if(NOT TARGET omen_jit)
  set(OMEN_TEST_TIER interp)
endif()
foreach(f ${OMEN_DATA_TESTS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME data:${n} COMMAND omen_cli test ${f} --tier ${OMEN_TEST_TIER})
endforeach()
foreach(f ${PROJECT_SOURCE_DIR}/examples/quickstart/cpu.omen)
  add_test(NAME example:quickstart COMMAND omen_cli test ${f} --tier ${OMEN_TEST_TIER})
endforeach()
file(GLOB OMEN_DIAG_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/diag/*.omen)
foreach(f ${OMEN_DIAG_TESTS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME diag:${n}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli> -DNAME=${n}
                   -DDIR=${CMAKE_CURRENT_SOURCE_DIR}/diag -P ${CMAKE_CURRENT_SOURCE_DIR}/diag_check.cmake)
endforeach()
