# Runs `omen check NAME.omen` in DIR and compares its diagnostics with NAME.err.
# Set OMEN_UPDATE_GOLDEN=1 in the environment to rewrite NAME.err (then review the diff).
execute_process(COMMAND ${OMEN} check ${NAME}.omen --quiet
                WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if("$ENV{OMEN_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE ${DIR}/${NAME}.err "${err}")
  return()
endif()
file(READ ${DIR}/${NAME}.err expected)
if(rc EQUAL 0 AND NOT expected MATCHES "error\\[")
  # a warnings-only case: fine
elseif(rc EQUAL 0)
  message(FATAL_ERROR "omen check accepted ${NAME}.omen, expected errors:\n${expected}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "diagnostics differ for ${NAME}.omen\n--- expected\n${expected}\n--- actual\n${err}")
endif()
