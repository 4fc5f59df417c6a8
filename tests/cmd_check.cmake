# Runs every line of DIR/NAME.cmd as `omen <line>` in DIR; the concatenated outputs
# ("$ <line>" headers, stdout, stderr, exit code) must equal DIR/NAME.out.
# OMEN_UPDATE_GOLDEN=1 rewrites NAME.out (review the diff).
file(STRINGS ${DIR}/${NAME}.cmd lines)
set(actual "")
foreach(line ${lines})
  separate_arguments(args UNIX_COMMAND "${line}")
  execute_process(COMMAND ${OMEN} ${args} WORKING_DIRECTORY ${DIR}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(APPEND actual "$ omen ${line}\n${out}${err}[exit ${rc}]\n")
endforeach()
if("$ENV{OMEN_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE ${DIR}/${NAME}.out "${actual}")
  return()
endif()
file(READ ${DIR}/${NAME}.out expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output differs for ${NAME}.cmd\n--- expected\n${expected}\n--- actual\n${actual}")
endif()
