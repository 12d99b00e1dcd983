# Install rules: the shared library, the C headers, the .proto files, a CMake
# package (find_package(pitboss CONFIG) -> pitboss::pitboss) and pitboss.pc.
include(CMakePackageConfigHelpers)

install(TARGETS pitboss EXPORT pitbossTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES include/pitboss/pitboss.h include/pitboss/export.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pitboss)
install(FILES ${PITBOSS_PROTO_FILES}
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pitboss/v1)

set(PITBOSS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pitboss)
install(EXPORT pitbossTargets NAMESPACE pitboss:: DESTINATION ${PITBOSS_CMAKE_DIR})
configure_package_config_file(cmake/pitbossConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pitbossConfig.cmake
  INSTALL_DESTINATION ${PITBOSS_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pitbossConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pitbossConfig.cmake
  ${PROJECT_BINARY_DIR}/pitbossConfigVersion.cmake
  DESTINATION ${PITBOSS_CMAKE_DIR})

# pitboss.pc is relocatable: its prefix is found from its own directory, so an
# install with `cmake --install --prefix` elsewhere still works.
file(RELATIVE_PATH PITBOSS_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/pitboss.pc.in ${PROJECT_BINARY_DIR}/pitboss.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pitboss.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
