# Checks the dependency rules of docs/architecture.md: each lib/<module>/ includes headers of, and links,
# only the modules it may depend on. Run by ctest (tests/architecture/CMakeLists.txt):
#   cmake -DLIB_DIR=<dir holding the module folders> -P check_module_deps.cmake
# A new module must be added to the table below (and to docs/architecture.md) before it builds a test
# run green; a new edge between modules is a reviewed change to this table, never a silent include.
#
# module -> the modules it may use (directly; list every one it includes or links, not only the
# nearest). Keep in the same order as lib/CMakeLists.txt.
set(allowed_core "")
set(allowed_crypto core)
set(allowed_archive core crypto)
set(allowed_source core crypto)
set(allowed_measure core crypto)
set(allowed_build core crypto source archive measure)
# build: only the from_build.cpp bridge (a build result into a statement), and only when lib/build is
# in the tree (lib/attest/CMakeLists.txt).
set(allowed_attest core crypto archive build)
# The log entries of continuous rebuilding; build for checking a candidate's embedded recipe. No tlog:
# the log stores these entries as bytes and never needs to understand them.
set(allowed_rebuild core crypto attest build)
set(allowed_frost core crypto)
set(allowed_tlog core crypto)
# No tlog: TUF models stay readable and testable without a log.
set(allowed_release core crypto attest frost)
set(allowed_publish core crypto attest release tlog)
set(allowed_verify core crypto attest release tlog rebuild)
# The explorer reads the log and the TUF models for people; it decides nothing a node relies on.
set(allowed_explorer core crypto attest release tlog)
# The builder's daemon: follows the log (tlog), reads TUF targets (release), rebuilds (build), signs
# attestations (attest) and candidate/verdict entries (rebuild).
set(allowed_watch core crypto build attest rebuild release tlog)

cmake_minimum_required(VERSION 3.20)

if(NOT LIB_DIR)
  message(FATAL_ERROR "give -DLIB_DIR=<path of lib/>")
endif()

set(violations "")
set(checked 0)
file(GLOB module_dirs LIST_DIRECTORIES true RELATIVE ${LIB_DIR} ${LIB_DIR}/*)
foreach(module IN LISTS module_dirs)
  if(NOT IS_DIRECTORY ${LIB_DIR}/${module})
    continue()
  endif()
  if(NOT DEFINED allowed_${module})
    list(APPEND violations "lib/${module}: not in the module table of tests/architecture/check_module_deps.cmake")
    continue()
  endif()
  set(allowed ${allowed_${module}} ${module})
  math(EXPR checked "${checked} + 1")

  file(GLOB sources ${LIB_DIR}/${module}/*.hpp ${LIB_DIR}/${module}/*.cpp ${LIB_DIR}/${module}/*.h)
  foreach(source IN LISTS sources)
    file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    get_filename_component(name ${source} NAME)
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*$" "\\1" header "${line}")
      if(NOT header MATCHES "^([a-z_0-9]+)/")
        list(APPEND violations "lib/${module}/${name}: include \"${header}\" names no module (write \"<module>/${header}\")")
        continue()
      endif()
      set(target ${CMAKE_MATCH_1})
      if(NOT target IN_LIST allowed)
        list(APPEND violations "lib/${module}/${name}: ${module} may not include ${target} (\"${header}\")")
      endif()
    endforeach()
  endforeach()

  if(EXISTS ${LIB_DIR}/${module}/CMakeLists.txt)
    file(READ ${LIB_DIR}/${module}/CMakeLists.txt cmake_text)
    string(REGEX REPLACE "#[^\n]*" "" cmake_text "${cmake_text}")
    string(REGEX MATCHALL "cocoon_[a-z_0-9]+" linked "${cmake_text}")
    list(REMOVE_DUPLICATES linked)
    foreach(lib IN LISTS linked)
      string(REGEX REPLACE "^cocoon_" "" target ${lib})
      # cocoon_<x>_sources and the like are variables, not targets.
      if(target MATCHES "_")
        continue()
      endif()
      if(NOT target IN_LIST allowed)
        list(APPEND violations "lib/${module}/CMakeLists.txt: ${module} may not link ${lib}")
      endif()
    endforeach()
  endif()
endforeach()

if(violations)
  list(LENGTH violations count)
  string(REPLACE ";" "\n  " listed "${violations}")
  message(FATAL_ERROR "${count} module dependency violation(s) (rules: docs/architecture.md):\n  ${listed}")
endif()
message(STATUS "module dependencies: ${checked} modules follow docs/architecture.md")
