# Install rules and the CMake package (included from the root CMakeLists.txt).
#
#   cmake --install build --prefix /opt/strata
#
# installs
#   bin/strata                              the generic command line
#   lib/libstrata_<layer>.a                 model, dialects, orm, migrations, cli
#   include/strata/{core,orm,dialects,migrations,cmd}/...   the headers, with the same
#                                           relative paths the sources use ("orm/session.hpp")
#   lib/cmake/strata/                       strataConfig.cmake and friends, so that
#                                           find_package(strata) + target_link_libraries(app
#                                           strata::strata) works (tests/consumer/ checks it)

include(CMakePackageConfigHelpers)

set(STRATA_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/strata CACHE STRING
    "Where the strata CMake package files are installed, relative to the prefix")

install(TARGETS strata_model strata_dialects strata_orm strata_migrations strata_cli strata_all
  EXPORT strataTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/strata)
install(TARGETS strata RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Headers: everything a user's code can reach from the public headers. Left out: headers
# internal to their library (migrations/operation_toml.hpp; the lint engine's
# step_context.hpp, rule_families.hpp and ddl_changes.hpp; cmd/ apart from cli.hpp and
# exit_codes.hpp).
foreach(dir core orm dialects migrations)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/strata/${dir}
    FILES_MATCHING PATTERN "*.hpp"
    PATTERN "operation_toml.hpp" EXCLUDE
    PATTERN "step_context.hpp" EXCLUDE
    PATTERN "rule_families.hpp" EXCLUDE
    PATTERN "ddl_changes.hpp" EXCLUDE)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/cmd/cli.hpp ${PROJECT_SOURCE_DIR}/cmd/exit_codes.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/strata/cmd)

install(EXPORT strataTargets NAMESPACE strata:: DESTINATION ${STRATA_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/strataConfig.cmake.in
  ${PROJECT_BINARY_DIR}/strataConfig.cmake
  INSTALL_DESTINATION ${STRATA_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/strataConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/strataConfig.cmake ${PROJECT_BINARY_DIR}/strataConfigVersion.cmake
  DESTINATION ${STRATA_INSTALL_CMAKEDIR})
