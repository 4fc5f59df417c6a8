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
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli> "-DARGS=check;${n}.omen;--quiet"
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/diag
                   -DEXPECT_ERR=${CMAKE_CURRENT_SOURCE_DIR}/diag/${n}.err
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()
# `omen check --format json`: one object per diagnostic a line, on stdout.
foreach(n json not_utf8)
  add_test(NAME diag:json:${n}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli>
                   "-DARGS=check;--format;json;--quiet;${n}.omen"
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/diag/json
                   -DEXPECT_OUT=${CMAKE_CURRENT_SOURCE_DIR}/diag/json/${n}.jsonl -DEXPECT_RC=1
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()
# `omen explain --code`: the row of the code table; an unknown code is an error.
foreach(code E020 w001 E999)
  add_test(NAME diag:explain:${code}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli> "-DARGS=explain;--code;${code}"
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/diag/explain
                   -DEXPECT_OUT=${CMAKE_CURRENT_SOURCE_DIR}/diag/explain/${code}.out
                   -DEXPECT_ERR=${CMAKE_CURRENT_SOURCE_DIR}/diag/explain/${code}.err
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()
# Data-file errors are diagnostics too: E100 (a bad row), E101 (a file that cannot be read).
foreach(case bad_row:bad.csv missing_file:missing.csv)
  string(REPLACE ":" ";" parts ${case})
  list(GET parts 0 name)
  list(GET parts 1 file)
  add_test(NAME diag:data:${name}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli>
                   "-DARGS=run;rules.omen;--data;${file}"
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/diag/data
                   -DEXPECT_ERR=${CMAKE_CURRENT_SOURCE_DIR}/diag/data/${name}.err
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()
# Every code of include/omen/diagnostic_codes.def is produced by some golden test, and
# docs/language.md lists exactly the table.
add_test(NAME diag:codes
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/diag_codes.cmake)
