# The one golden-test driver (diagnostics, graph commands, intents, OpenSLO import, REPL).
#
#   cmake -DOMEN=path/to/omen -DWORKDIR=dir <what to run> <what to expect> -P tests/golden.cmake
#
# What to run (one of):
#   ARGS=a;b;c        run `omen a b c` once
#   CMD_FILE=f.cmd    run every line of f.cmd as `omen <line>`; the transcript ("$ omen <line>",
#                     stdout, stderr, "[exit N]" per line) is compared with EXPECT_OUT
#   INPUT=f           (with ARGS) feed f on stdin
# What to expect:
#   EXPECT_OUT=f      stdout (or the transcript) must equal f; without it stdout must be empty
#                     unless IGNORE_STDOUT=1
#   EXPECT_ERR=f      stderr must equal f; without it stderr must be empty unless IGNORE_STDERR=1
#   EXPECT_RC=n|auto  the exit status (default auto: 1 if the expected stderr has an error,
#                     `error:` or `error[`, else 0; not checked in CMD_FILE mode)
#   FORBID_OUT=regex  stdout must not match (e.g. a REPL prompt)
#   CHECK_OUTPUT=1    a non-empty stdout must itself pass `omen check --werror` (imports)
# OMEN_UPDATE_GOLDEN=1 in the environment rewrites the expected files (review the diff).
if(NOT WORKDIR)
  set(WORKDIR ${DIR})
endif()
set(update FALSE)
if("$ENV{OMEN_UPDATE_GOLDEN}" STREQUAL "1")
  set(update TRUE)
endif()

if(CMD_FILE)
  file(STRINGS ${CMD_FILE} lines)
  set(out "")
  set(err "")
  foreach(line ${lines})
    separate_arguments(args UNIX_COMMAND "${line}")
    execute_process(COMMAND ${OMEN} ${args} WORKING_DIRECTORY ${WORKDIR}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
    string(APPEND out "$ omen ${line}\n${o}${e}[exit ${rc}]\n")
  endforeach()
  set(EXPECT_RC "")
else()
  set(input "")
  if(INPUT)
    set(input INPUT_FILE ${INPUT})
  endif()
  execute_process(COMMAND ${OMEN} ${ARGS} ${input} WORKING_DIRECTORY ${WORKDIR}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
endif()

if(update)
  if(EXPECT_OUT)
    file(WRITE ${EXPECT_OUT} "${out}")
  endif()
  if(EXPECT_ERR)
    file(WRITE ${EXPECT_ERR} "${err}")
  endif()
  message(STATUS "updated the goldens of omen ${ARGS}${CMD_FILE} (exit ${rc})")
  return()
endif()

set(failed FALSE)
function(compare stream actual expected_file)
  if(expected_file)
    file(READ ${expected_file} expected)
  else()
    set(expected "")
  endif()
  if(NOT actual STREQUAL expected)
    string(RANDOM LENGTH 8 tag)
    set(tmp ${CMAKE_CURRENT_BINARY_DIR}/golden_${tag}.${stream})
    file(WRITE ${tmp} "${actual}")
    if(expected_file)
      execute_process(COMMAND diff -u ${expected_file} ${tmp} OUTPUT_VARIABLE d)
    else()
      set(d "(expected nothing)\n${actual}")
    endif()
    file(REMOVE ${tmp})
    message("${stream} differs from ${expected_file}:\n${d}")
    set(failed TRUE PARENT_SCOPE)
  endif()
endfunction()

if(EXPECT_OUT OR NOT IGNORE_STDOUT)
  compare(stdout "${out}" "${EXPECT_OUT}")
endif()
if(EXPECT_ERR OR NOT IGNORE_STDERR)
  compare(stderr "${err}" "${EXPECT_ERR}")
endif()

if(NOT CMD_FILE)
  if(NOT EXPECT_RC OR EXPECT_RC STREQUAL "auto")
    set(EXPECT_RC 0)
    if(EXPECT_ERR)
      file(READ ${EXPECT_ERR} expected_err)
      if(expected_err MATCHES "error[:[]")
        set(EXPECT_RC 1)
      endif()
    endif()
  endif()
  if(NOT rc STREQUAL EXPECT_RC)
    message("omen ${ARGS}: exit status ${rc}, expected ${EXPECT_RC}")
    set(failed TRUE)
  endif()
endif()

if(FORBID_OUT AND out MATCHES "${FORBID_OUT}")
  message("stdout matches '${FORBID_OUT}'")
  set(failed TRUE)
endif()

if(CHECK_OUTPUT AND NOT out STREQUAL "")
  string(RANDOM LENGTH 8 tag)
  set(tmp ${CMAKE_CURRENT_BINARY_DIR}/omen_import_${tag}.omen)
  file(WRITE ${tmp} "${out}")
  execute_process(COMMAND ${OMEN} check ${tmp} --werror RESULT_VARIABLE crc ERROR_VARIABLE cerr)
  file(REMOVE ${tmp})
  if(NOT crc EQUAL 0)
    message("the output does not pass omen check:\n${cerr}")
    set(failed TRUE)
  endif()
endif()

if(failed)
  message(FATAL_ERROR "golden test failed: omen ${ARGS}${CMD_FILE} in ${WORKDIR}")
endif()
