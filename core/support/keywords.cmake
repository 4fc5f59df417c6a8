cmake_minimum_required(VERSION 3.25)
# Writes the keywords of the Omen grammar as C++ string literals, for core/support/keywords.cpp.
# Run as `cmake -DGRAMMAR=grammar/Omen.g4 -DOUT=keywords.inc -P keywords.cmake`.
#   keyword: a quoted literal token of letters ('rule', 'at', ...) anywhere in the grammar;
#   soft:    a keyword the parser rule `name` also accepts as a name ('on', 'by', ...);
#   reserved: the others, which can never be a name, label or node.
file(READ ${GRAMMAR} g)
# Lexer rules (upper-case names) hold no keywords: 'ms' in DURATION is part of a token.
string(REGEX REPLACE "\n(fragment[ \t]+)?[A-Z][A-Za-z_]*[ \t\r\n]*:[^;]*;" "\n" g "${g}")
string(REGEX MATCHALL "'[a-zA-Z_]+'" lits "${g}")
list(REMOVE_DUPLICATES lits)
list(SORT lits)
if(NOT g MATCHES "\nname[ \t\r\n]*:([^;]*);")
  message(FATAL_ERROR "${GRAMMAR}: no parser rule `name`")
endif()
string(REGEX MATCHALL "'[a-zA-Z_]+'" soft "${CMAKE_MATCH_1}")
set(kw "")
foreach(l ${lits})
  string(REPLACE "'" "" w ${l})
  if(l IN_LIST soft)
    string(APPEND kw "    {\"${w}\", false},\n")
  else()
    string(APPEND kw "    {\"${w}\", true},\n")
  endif()
endforeach()
set(text "// Generated from grammar/Omen.g4 by core/support/keywords.cmake: do not edit.\n${kw}")
# Rewrite only on change, so dependents are not rebuilt needlessly.
if(EXISTS ${OUT})
  file(READ ${OUT} old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE ${OUT} "${text}")
