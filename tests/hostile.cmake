# Hostile inputs (issue 11): tests/hostile/run.sh runs each case of tests/hostile/cases.txt
# under a wall-time limit (1 s for the fixed repros) and `ulimit -v` 1 GiB, and compares the
# exit code and the output with the golden NAME.out files.
# Under a sanitizer the address-space limit cannot apply (ASan and TSan reserve terabytes of
# shadow memory) and everything runs a few times slower: the driver then drops the limit and
# gives each case 5x its time; the Release run is the one that checks time and memory bounds.
set(OMEN_HOSTILE_SANITIZED 0)
if(OMEN_SANITIZE OR OMEN_TSAN)
  set(OMEN_HOSTILE_SANITIZED 1)
endif()
add_test(NAME hostile
         COMMAND ${CMAKE_COMMAND} -E env OMEN_HOSTILE_SANITIZED=${OMEN_HOSTILE_SANITIZED}
                 ${CMAKE_CURRENT_SOURCE_DIR}/hostile/run.sh $<TARGET_FILE:omen_cli>
                 ${CMAKE_CURRENT_SOURCE_DIR}/hostile ${CMAKE_CURRENT_BINARY_DIR}/hostile)
