# cmake -DPROGRAM=… -DARG=… -DOUTPUT=… -P RunToFile.cmake
#
# Runs `PROGRAM ARG` and writes its stdout to OUTPUT: how the build turns each tool's own command-line
# definition into its man page (--help-man) and bash completion (--bash-completion). The environment is
# pinned so that nothing of the builder's (locale, HOME, time zone) can reach the generated text.
cmake_minimum_required(VERSION 3.25)
foreach(var PROGRAM ARG OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "RunToFile.cmake: -D${var}=… is required")
  endif()
endforeach()
set(ENV{LC_ALL} C.UTF-8)
set(ENV{TZ} UTC)
set(ENV{HOME} /nonexistent)
unset(ENV{COCOON_PASSPHRASE})
execute_process(COMMAND "${PROGRAM}" "${ARG}" OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR text STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} ${ARG} failed (${rc}): ${err}")
endif()
file(WRITE "${OUTPUT}.tmp" "${text}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
