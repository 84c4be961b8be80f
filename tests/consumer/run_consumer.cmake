# Installs the strata build tree into a temporary prefix, builds tests/consumer/app against
# it with find_package(strata), and runs the result. Run by CTest (tests/consumer/):
#
#   cmake -DSTRATA_BUILD_DIR=... -DCONSUMER_SOURCE=... -DWORK_DIR=... -DGENERATOR=...
#         [-DBUILD_TYPE=...] [-DLAUNCHER=ccache] -P run_consumer.cmake
#
# Fails (FATAL_ERROR, non-zero exit) at the first step that does not work, with its output.
cmake_minimum_required(VERSION 3.25)

foreach(var STRATA_BUILD_DIR CONSUMER_SOURCE WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer test: ${name} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "consumer test: ${name}: ok")
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("cmake --install into ${prefix}" ${CMAKE_COMMAND} --install "${STRATA_BUILD_DIR}" --prefix "${prefix}")
foreach(f bin/strata include/strata/orm/session.hpp include/strata/cmd/cli.hpp lib/cmake/strata/strataConfig.cmake)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "consumer test: ${f} was not installed")
  endif()
endforeach()

set(configure_args -S "${CONSUMER_SOURCE}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}")
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
if(LAUNCHER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
step("configure the consumer with find_package(strata)" ${CMAKE_COMMAND} ${configure_args})
step("build the consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/build" --parallel 2)

set(db "${WORK_DIR}/consumer.db")
step("run the consumer" "${WORK_DIR}/build/consumer" "sqlite:///${db}")
set(expected "1 first hello\n2 second (none)\nnotes: 2\n")
if(NOT step_output STREQUAL expected)
  message(FATAL_ERROR "consumer test: unexpected output:\n${step_output}\nexpected:\n${expected}")
endif()

# The consumer's own command line (strata::cli::run with its models) sees its table.
step("consumer cli check" "${WORK_DIR}/build/consumer" cli --url "sqlite:///${db}" --dir "${WORK_DIR}/migrations"
     diff models "sqlite:///${db}")
step("installed strata --help" "${prefix}/bin/strata" --help)

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "consumer test: passed")
