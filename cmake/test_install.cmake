# The install check (ctest embed:install_and_examples; CI): installs the current build into
# a scratch prefix, then configures, builds and runs examples/embed/cpp and examples/embed/c
# against it with find_package(Omen), as a user would.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... [-DGENERATOR=Ninja]
#         [-DCMAKE_C_COMPILER=cc -DCMAKE_CXX_COMPILER=c++] -P test_install.cmake
foreach(v BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "test_install.cmake needs -D${v}=...")
  endif()
endforeach()
if(NOT GENERATOR)
  set(GENERATOR "Ninja")
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
  set(run_error "${err}" PARENT_SCOPE)
endfunction()

function(expect what text pattern)
  if(NOT text MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: expected output matching '${pattern}', got:\n${text}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/omen/omen.h include/omen/engine.h lib/libomen.a lib/cmake/Omen/OmenConfig.cmake
          lib/cmake/Omen/OmenConfigVersion.cmake bin/omen)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install: ${prefix}/${f} is missing")
  endif()
endforeach()

set(compilers)
if(CMAKE_C_COMPILER)
  list(APPEND compilers -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER})
endif()
if(CMAKE_CXX_COMPILER)
  list(APPEND compilers -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER})
endif()
set(rules ${SOURCE_DIR}/examples/embed/rules.omen)
foreach(example cpp c)
  set(bin ${WORK_DIR}/${example})
  run("configure examples/embed/${example}" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed/${example}
      -B ${bin} -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix} ${compilers})
  run("build examples/embed/${example}" ${CMAKE_COMMAND} --build ${bin})
endforeach()

run("omen_service" ${WORK_DIR}/cpp/omen_service ${rules})
message(STATUS "omen_service:\n${run_output}")
expect("omen_service" "${run_output}" "firing +LatencySpike{service=\"checkout\"}")
expect("omen_service" "${run_output}" "resolved +ErrorBurst{service=\"checkout\"}")
expect("omen_service" "${run_output}" "stats: 2 rules, 8 series, 5760 samples \\(0 dropped\\)")

run("omen_monitor" ${WORK_DIR}/c/omen_monitor ${rules})
message(STATUS "omen_monitor:\n${run_output}")
expect("omen_monitor" "${run_output}" "firing +LatencySpike{service=\"db\"}")
expect("omen_monitor" "${run_output}" "resolved +ErrorBurst{service=\"db\"}")
expect("omen_monitor" "${run_output}" "stats: 2 rules, 4 series, 2160 samples")

# The installed command works too.
run("omen test" ${prefix}/bin/omen test ${rules} --tier interp)
expect("omen test" "${run_output}" "1 passed, 0 failed")

# The JIT plugin, when this build has one: the installed `omen` finds it as
# <exe dir>/../lib/omen/libomen_jit.so, the C example (built against the package, RUNPATH
# from Omen::omen) reports it, and the build tree's copy is not what they use.
file(GLOB plugin ${prefix}/lib*/omen/libomen_jit.so)
if(plugin)
  set(ENV{LD_DEBUG} files)
  run("omen test --tier jit" ${prefix}/bin/omen test ${rules} --tier jit)
  unset(ENV{LD_DEBUG})
  expect("omen test --tier jit" "${run_output}" "1 passed, 0 failed")
  # Found as <prefix>/bin/../lib/omen/libomen_jit.so.
  if(NOT run_error MATCHES "file=${prefix}/bin/\\.\\./lib[^ /]*/omen/libomen_jit\\.so")
    message(FATAL_ERROR "the installed omen did not load the installed plugin ${plugin}:\n${run_error}")
  endif()
  run("omen_monitor (JIT)" ${WORK_DIR}/c/omen_monitor ${rules})
  expect("omen_monitor" "${run_output}" "jit yes")
endif()
