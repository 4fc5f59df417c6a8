# Hostile inputs (issue 11): tests/hostile/run.sh runs each case of tests/hostile/cases.txt
# under a wall-time limit (1 s for the fixed repros) and `ulimit -v` 1 GiB, and compares the
# exit code and the output with the golden NAME.out files.
add_test(NAME hostile
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/hostile/run.sh $<TARGET_FILE:omen_cli>
                 ${CMAKE_CURRENT_SOURCE_DIR}/hostile ${CMAKE_CURRENT_BINARY_DIR}/hostile)
