# Intents (docs/intents.md): generated rules, OpenSLO import, exact budgets.
# The data tests themselves are tests/data/intents_*.omen (run by data.cmake in both tiers).
# Goldens: set OMEN_UPDATE_GOLDEN=1 and run `ctest -R intents:` to rewrite them, then review.
set(OMEN_INTENTS_DIR ${CMAKE_CURRENT_SOURCE_DIR}/intents)

# `omen explain FILE --intent NAME` prints exactly the generated source.
foreach(case intents_ratio:checkout_availability intents_threshold:search_latency
             intents_threshold:queue_depth_weekly)
  string(REPLACE ":" ";" parts ${case})
  list(GET parts 0 file)
  list(GET parts 1 intent)
  add_test(NAME intents:explain:${intent}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli>
                   "-DARGS=explain;${file}.omen;--intent;${intent}"
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/data
                   -DEXPECT_OUT=${OMEN_INTENTS_DIR}/explain/${intent}.omen
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()

# The slow 2x burn never pages: no page event at all in the whole alert log of the test.
add_test(NAME intents:slow_burn_never_pages
         COMMAND omen_cli test ${CMAKE_CURRENT_SOURCE_DIR}/data/intents_ratio.omen
                 --filter slow_burn --verbose --tier interp)
set_tests_properties(intents:slow_burn_never_pages PROPERTIES
  PASS_REGULAR_EXPRESSION "firing checkout_availability_ticket_3d.*1 passed, 0 failed"
  FAIL_REGULAR_EXPRESSION "checkout_availability_page|checkout_availability_ticket_1d")

# OpenSLO import: NAME.yaml must print NAME.omen (stdout) and NAME.err (stderr); an import that
# succeeds must also pass `omen check`.
file(GLOB OMEN_OPENSLO_CASES CONFIGURE_DEPENDS ${OMEN_INTENTS_DIR}/openslo/*.yaml)
foreach(f ${OMEN_OPENSLO_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME intents:import:${n}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli>
                   "-DARGS=import;openslo;${n}.yaml"
                   -DWORKDIR=${OMEN_INTENTS_DIR}/openslo
                   -DEXPECT_OUT=${OMEN_INTENTS_DIR}/openslo/${n}.omen
                   -DEXPECT_ERR=${OMEN_INTENTS_DIR}/openslo/${n}.err
                   -DCHECK_OUTPUT=1
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()

# examples/slo: `omen run` of an intent over generated counters prints exactly these alerts.
add_test(NAME example:slo
         COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli>
                 "-DARGS=run;checkout.omen;--data;requests.csv"
                 -DWORKDIR=${PROJECT_SOURCE_DIR}/examples/slo
                 -DEXPECT_OUT=${PROJECT_SOURCE_DIR}/examples/slo/expected.txt
                 -DIGNORE_STDERR=1
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)

# Exact error budgets, printer and lowering details (Catch2).
add_executable(intents_test ${OMEN_INTENTS_DIR}/intents_test.cpp)
target_include_directories(intents_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(intents_test PRIVATE omen Catch2::Catch2WithMain)
target_include_directories(intents_test PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_options(intents_test PRIVATE ${OMEN_WARNINGS})
target_compile_definitions(intents_test PRIVATE OMEN_TEST_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
catch_discover_tests(intents_test TEST_PREFIX "intents:")
