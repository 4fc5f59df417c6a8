# Graph blocks through the causal CLI: each line of tests/graphs/*.cmd is an `omen` command
# run in tests/graphs/; its stdout must equal the matching block of NAME.out.
file(GLOB OMEN_GRAPH_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/graphs/*.cmd)
foreach(f ${OMEN_GRAPH_TESTS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME graphs:${n}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli>
                   -DCMD_FILE=${f} -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/graphs
                   -DEXPECT_OUT=${CMAKE_CURRENT_SOURCE_DIR}/graphs/${n}.out
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()
