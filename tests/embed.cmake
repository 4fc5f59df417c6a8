# Embedding: the C API test written in C, and the install test that builds examples/embed/
# against the installed package (find_package(Omen)). Included by tests/CMakeLists.txt.
add_executable(capi_c_test ${CMAKE_CURRENT_SOURCE_DIR}/unit/capi_c/test_capi.c)
set_target_properties(capi_c_test PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(capi_c_test PRIVATE -Wall -Wextra -Werror=implicit-function-declaration)
target_compile_definitions(capi_c_test PRIVATE
  OMEN_CAPI_DIR="${CMAKE_CURRENT_SOURCE_DIR}/unit/capi_c")
target_link_libraries(capi_c_test PRIVATE omen_capi)
add_test(NAME capi:c COMMAND capi_c_test)

# Installs this build into a scratch prefix, then configures, builds and runs the two
# examples against it, as a user would. Skipped under sanitizers (the examples would need
# the same runtime flags; the package records them, but the check is about packaging).
if(NOT OMEN_SANITIZE AND NOT OMEN_TSAN)
  add_test(NAME embed:install_and_examples
           COMMAND ${CMAKE_COMMAND}
                   -DBUILD_DIR=${PROJECT_BINARY_DIR}
                   -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/embed_install
                   -DGENERATOR=${CMAKE_GENERATOR}
                   -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
                   -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
                   -P ${PROJECT_SOURCE_DIR}/cmake/test_install.cmake)
  set_tests_properties(embed:install_and_examples PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE)
endif()
