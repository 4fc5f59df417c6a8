# How Omen's own libraries are declared. Every library lists its sources and its
# dependencies explicitly; the public API (include/omen/) is its only PUBLIC include
# directory, the source tree is PRIVATE (internal headers are reached as "layer/part/x.h").
# Who may include whom is checked by tests/layers.cmake (ctest "layers").
#
#   omen_library(NAME SOURCES a.cpp ... [PUBLIC dep ...] [PRIVATE dep ...])
function(omen_library name)
  cmake_parse_arguments(A "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${OMEN_WARNINGS})
  target_link_libraries(${name} PUBLIC ${A_PUBLIC} PRIVATE ${A_PRIVATE})
endfunction()
