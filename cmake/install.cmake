# `cmake --install`: the public headers, ONE static library (libomen.a: the engine, the
# compiler, the kernels, the C API, ... merged into one archive), the `omen` command, the JIT
# plugin (lib/omen/libomen_jit.so, loaded at run time: LLVM is not linked), and a CMake
# package so that
#
#     find_package(Omen REQUIRED)
#     target_link_libraries(app PRIVATE Omen::omen)
#
# just works (docs/embedding.md). The shared-library dependencies of the archive (fmt, the
# ANTLR runtime, Threads) are recorded in the package config, which finds them again in the
# consumer's project.
#
# Included at the end of the top-level CMakeLists.txt, after every target exists.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The roots: the C API (with the engine under it), the session, the OpenSLO importer and the
# analysis and LLM libraries, so that every public header's library is in the archive.
set(_omen_roots omen_capi omen_session omen_openslo omen_causal omen_score omen_validate omen_llm)

# Walk the link closure of the root library: our own static libraries are merged into the
# archive; everything else is an external dependency of the package.
set(_omen_bundled)
set(_omen_external)
set(_omen_seen)
function(_omen_walk item)
  if(item MATCHES "^\\$<LINK_ONLY:(.*)>$")
    set(item "${CMAKE_MATCH_1}")
  endif()
  if(item STREQUAL "" OR item IN_LIST _omen_seen)
    return()
  endif()
  if(item MATCHES "^\\$<")
    message(WARNING "Omen install: not packaging the link item ${item}")
    return()
  endif()
  list(APPEND _omen_seen "${item}")
  set(_omen_seen "${_omen_seen}" PARENT_SCOPE)
  if(NOT TARGET "${item}")
    list(APPEND _omen_external "${item}")  # -lfoo, a path, a linker flag
    set(_omen_external "${_omen_external}" PARENT_SCOPE)
    return()
  endif()
  get_target_property(_imported "${item}" IMPORTED)
  get_target_property(_type "${item}" TYPE)
  if(_imported OR NOT _type STREQUAL "STATIC_LIBRARY")
    list(APPEND _omen_external "${item}")
    set(_omen_external "${_omen_external}" PARENT_SCOPE)
    return()
  endif()
  list(APPEND _omen_bundled "${item}")
  get_target_property(_deps "${item}" LINK_LIBRARIES)
  get_target_property(_ideps "${item}" INTERFACE_LINK_LIBRARIES)
  foreach(d IN LISTS _deps _ideps)
    if(d AND NOT d MATCHES "-NOTFOUND$")
      _omen_walk("${d}")
    endif()
  endforeach()
  set(_omen_seen "${_omen_seen}" PARENT_SCOPE)
  set(_omen_bundled "${_omen_bundled}" PARENT_SCOPE)
  set(_omen_external "${_omen_external}" PARENT_SCOPE)
endfunction()
foreach(_r IN LISTS _omen_roots)
  _omen_walk(${_r})
endforeach()

# External dependencies -> find_dependency() calls and link items of Omen::omen.
set(OMEN_PKG_FIND_DEPENDENCIES "")
set(OMEN_PKG_LINK_LIBRARIES "")
foreach(x IN LISTS _omen_external)
  if(x STREQUAL "Threads::Threads")
    string(APPEND OMEN_PKG_FIND_DEPENDENCIES "find_dependency(Threads)\n")
    list(APPEND OMEN_PKG_LINK_LIBRARIES "Threads::Threads")
  elseif(x MATCHES "^fmt::")
    string(APPEND OMEN_PKG_FIND_DEPENDENCIES "find_dependency(fmt)\n")
    list(APPEND OMEN_PKG_LINK_LIBRARIES "${x}")
  elseif(x MATCHES "^antlr4_(shared|static)$")
    string(APPEND OMEN_PKG_FIND_DEPENDENCIES "find_dependency(antlr4-runtime CONFIG)\n")
    list(APPEND OMEN_PKG_LINK_LIBRARIES "${x}")
  elseif(TARGET "${x}")
    get_target_property(_type "${x}" TYPE)
    if(_type STREQUAL "INTERFACE_LIBRARY")
      # Header-only (nlohmann_json, Eigen, Boost headers): only our .cpp files needed them.
      continue()
    endif()
    # Any other imported library (LLVM's shared library): by its absolute path, so the
    # consumer does not have to find that package (LLVMConfig.cmake needs a C compiler and
    # more). The path is resolved at generate time.
    list(APPEND OMEN_PKG_LINK_LIBRARIES "$<TARGET_LINKER_FILE:${x}>")
  else()
    list(APPEND OMEN_PKG_LINK_LIBRARIES "${x}")
  endif()
endforeach()
list(REMOVE_DUPLICATES OMEN_PKG_LINK_LIBRARIES)
set(OMEN_PKG_LINK_OPTIONS "")
if(OMEN_SANITIZE)
  list(APPEND OMEN_PKG_LINK_OPTIONS -fsanitize=address,undefined)
endif()
if(OMEN_TSAN)
  list(APPEND OMEN_PKG_LINK_OPTIONS -fsanitize=thread)
endif()
set(OMEN_PKG_JIT OFF)
if(TARGET omen_jit_plugin)
  set(OMEN_PKG_JIT ON)
endif()

# The merged archive, via an ar MRI script (addlib keeps members with equal names, which
# extracting and re-archiving would not).
set(_omen_pkg_dir ${PROJECT_BINARY_DIR}/package)
set(_omen_archive ${_omen_pkg_dir}/${CMAKE_STATIC_LIBRARY_PREFIX}omen${CMAKE_STATIC_LIBRARY_SUFFIX})
set(_omen_mri "create ${_omen_archive}\n")
foreach(lib IN LISTS _omen_bundled)
  string(APPEND _omen_mri "addlib $<TARGET_FILE:${lib}>\n")
endforeach()
string(APPEND _omen_mri "save\nend\n")
file(GENERATE OUTPUT ${_omen_pkg_dir}/merge.mri CONTENT "${_omen_mri}")
set(_omen_bundled_files)
foreach(lib IN LISTS _omen_bundled)
  list(APPEND _omen_bundled_files $<TARGET_FILE:${lib}>)
endforeach()
add_custom_command(
  OUTPUT ${_omen_archive}
  COMMAND ${CMAKE_COMMAND} -DAR=${CMAKE_AR} -DRANLIB=${CMAKE_RANLIB} -DOUT=${_omen_archive}
          -DMRI=${_omen_pkg_dir}/merge.mri -P ${CMAKE_CURRENT_LIST_DIR}/merge_archives.cmake
  DEPENDS ${_omen_bundled} ${_omen_bundled_files} ${_omen_pkg_dir}/merge.mri
          ${CMAKE_CURRENT_LIST_DIR}/merge_archives.cmake
  COMMENT "Merging ${_omen_bundled} into one archive for installation"
  VERBATIM)
add_custom_target(omen_install_bundle ALL DEPENDS ${_omen_archive})
string(REPLACE ";" " " _omen_bundled_text "${_omen_bundled}")
message(STATUS "Omen install: libomen.a bundles ${_omen_bundled_text}")

# Package config: configure_package_config_file substitutes the @...@ values; then
# file(GENERATE) resolves the $<TARGET_LINKER_FILE:...> paths of imported libraries.
set(OMEN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Omen)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/OmenConfig.cmake.in ${_omen_pkg_dir}/OmenConfig.cmake.gen
  INSTALL_DESTINATION ${OMEN_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
file(GENERATE OUTPUT ${_omen_pkg_dir}/OmenConfig.cmake INPUT ${_omen_pkg_dir}/OmenConfig.cmake.gen)
write_basic_package_version_file(${_omen_pkg_dir}/OmenConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

install(FILES ${_omen_archive} DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/omen DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT Development FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
install(FILES ${_omen_pkg_dir}/OmenConfig.cmake ${_omen_pkg_dir}/OmenConfigVersion.cmake
        DESTINATION ${OMEN_INSTALL_CMAKEDIR} COMPONENT Development)
if(TARGET omen_cli)
  install(TARGETS omen_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime)
endif()
# The JIT plugin (compiler/jit/plugin.h): <libdir>/omen/libomen_jit.so, which the installed
# `omen` finds as <exe dir>/../<libdir>/omen and embedders through the RUNPATH that Omen::omen
# adds (OmenConfig.cmake.in). It keeps its link path (LLVM's directory) as its RUNPATH.
if(TARGET omen_jit_plugin)
  set_target_properties(omen_jit_plugin PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
  install(TARGETS omen_jit_plugin LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/omen
          COMPONENT Runtime)
endif()
