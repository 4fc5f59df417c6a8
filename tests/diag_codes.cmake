# The table of diagnostic codes (include/omen/diagnostic_codes.def) against the tests and docs:
#  - every code is produced by some golden test (an expected .err/.out/.jsonl file under tests/
#    shows `[CODE]` or `"code":"CODE"`), except the few listed in `no_golden` below;
#  - docs/language.md, "Diagnostic codes", has exactly one row per code, in table order:
#    `| CODE | severity | description |`.
cmake_minimum_required(VERSION 3.25)
# Run as `cmake -DROOT=<source dir> -P tests/diag_codes.cmake`.

# Reached only through the API or a broken build, never from a file a golden test can give.
#   E900: the JIT is unavailable (an OMEN_WITH_JIT=OFF build) or LLVM fails to compile a rule
#   E901: omen::llm::load_accepted called with a proposal that was not accepted (unit-tested)
#   W900: tier auto without the JIT plugin (tests/startup_check.sh removes the plugin)
set(no_golden E900 E901 W900)

file(STRINGS ${ROOT}/include/omen/diagnostic_codes.def rows REGEX "^OMEN_DIAG\\(")
file(GLOB_RECURSE goldens ${ROOT}/tests/*.err ${ROOT}/tests/*.out ${ROOT}/tests/*.jsonl)
set(all "")
foreach(g ${goldens})
  file(READ ${g} text)
  string(APPEND all "${text}\n")
endforeach()

set(problems "")
set(expected_doc "| code | severity | meaning |\n|---|---|---|\n")
set(n 0)
foreach(row ${rows})
  if(NOT row MATCHES "^OMEN_DIAG\\(([EW][0-9][0-9][0-9]), (Error|Warning), \"(.*)\"\\)$")
    string(APPEND problems "malformed row: ${row}\n")
    continue()
  endif()
  set(code ${CMAKE_MATCH_1})
  string(TOLOWER ${CMAKE_MATCH_2} severity)
  set(description "${CMAKE_MATCH_3}")
  string(REPLACE "\\\"" "\"" description "${description}")
  math(EXPR n "${n} + 1")
  string(APPEND expected_doc "| ${code} | ${severity} | ${description} |\n")
  string(FIND "${all}" "[${code}]" a)
  string(FIND "${all}" "\"code\":\"${code}\"" b)
  if(code IN_LIST no_golden)
    if(NOT a EQUAL -1 OR NOT b EQUAL -1)
      string(APPEND problems "${code} now has a golden test: drop it from no_golden\n")
    endif()
  elseif(a EQUAL -1 AND b EQUAL -1)
    string(APPEND problems "${code}: no golden test produces it (add tests/diag/NAME.omen + .err)\n")
  endif()
endforeach()

file(READ ${ROOT}/docs/language.md doc)
string(FIND "${doc}" "## Diagnostic codes\n" at)
if(at EQUAL -1)
  string(APPEND problems "docs/language.md has no \"## Diagnostic codes\" section\n")
else()
  string(SUBSTRING "${doc}" ${at} -1 section)
  string(FIND "${section}" "| code |" start)
  if(start EQUAL -1)
    string(APPEND problems "docs/language.md: no code table under \"Diagnostic codes\"\n")
  else()
    string(SUBSTRING "${section}" ${start} -1 table)
    string(FIND "${table}" "\n\n" stop)  # the table ends at the first blank line
    math(EXPR len "${stop} + 1")
    string(SUBSTRING "${table}" 0 ${len} table)
    if(NOT table STREQUAL expected_doc)
      string(APPEND problems "docs/language.md, \"Diagnostic codes\", differs from the table; "
                             "it should read:\n${expected_doc}")
    endif()
  endif()
endif()

if(NOT problems STREQUAL "")
  message(FATAL_ERROR "${problems}")
endif()
message(STATUS "${n} diagnostic codes: each has a golden test and a row in docs/language.md")
