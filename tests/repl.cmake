# The REPL (omen repl, docs/repl.md): scripted sessions through a pipe, compared with golden
# output (tests/repl/NAME.in -> NAME.out on stdout, NAME.err on stderr; exit status 1 iff
# NAME.err is not empty), and an interactive session under a pseudo-terminal.
file(GLOB OMEN_REPL_SESSIONS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/repl/*.in)
foreach(f ${OMEN_REPL_SESSIONS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME repl:pipe:${n}
           COMMAND ${CMAKE_COMMAND} -DOMEN=$<TARGET_FILE:omen_cli> -DARGS=repl -DINPUT=${f}
                   -DWORKDIR=${CMAKE_CURRENT_SOURCE_DIR}/repl
                   -DEXPECT_OUT=${CMAKE_CURRENT_SOURCE_DIR}/repl/${n}.out
                   -DEXPECT_ERR=${CMAKE_CURRENT_SOURCE_DIR}/repl/${n}.err
                   "-DFORBID_OUT=omen> " -P ${CMAKE_CURRENT_SOURCE_DIR}/golden.cmake)
endforeach()
# `script` (util-linux) runs the REPL on a pseudo-terminal: prompts, line editing, tab
# completion and the history file are exercised as a user would.
find_program(OMEN_SCRIPT_TOOL script)
if(OMEN_SCRIPT_TOOL)
  add_test(NAME repl:pty
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/repl/pty_test.sh $<TARGET_FILE:omen_cli>
                   ${OMEN_SCRIPT_TOOL} ${CMAKE_CURRENT_BINARY_DIR}/repl_pty)
  set_tests_properties(repl:pty PROPERTIES TIMEOUT 120)
else()
  message(STATUS "omen: `script` (util-linux) not found; the REPL's pseudo-terminal test is skipped")
endif()
