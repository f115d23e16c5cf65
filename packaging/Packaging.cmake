# Install layout (FHS) and the Debian package (CPack DEB) of sfsync. Included at the end of the top
# CMakeLists.txt. Only the product is installed: sfsyncd, its example configuration, the systemd
# unit, empty state and log directories and the README. The admin page is compiled into sfsyncd,
# so there are no web assets to install. Test binaries and sfsync-sim are not installed.
#
#   DESTDIR=/tmp/root cmake --install build --prefix /usr    # a staged FHS tree
#   cd build && cpack -G DEB                                 # sfsync_<version>_<arch>.deb
#
# The binary and the README follow the install prefix; configuration, state, logs and the unit go
# to fixed system paths (cache variables below), as Debian packages do.
include(GNUInstallDirs)

set(SFSYNC_CONFIG_DIR "/etc/sfsync" CACHE PATH "Installed configuration directory")
set(SFSYNC_STATE_DIR "/var/lib/sfsync" CACHE PATH "Installed state directory (store, error files)")
set(SFSYNC_LOG_DIR "/var/log/sfsync" CACHE PATH "Installed log directory")
set(SFSYNC_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "Installed systemd unit directory")

install(TARGETS sfsyncd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The installed configuration: packaging/sfsync.properties.in (absolute state and log paths) plus
# the shipped sample credentials, jobs, chains and out-of-the-box templates.
set(_pkg ${CMAKE_BINARY_DIR}/packaging)
configure_file(${CMAKE_SOURCE_DIR}/packaging/sfsync.properties.in ${_pkg}/sfsync.properties @ONLY)
install(FILES ${_pkg}/sfsync.properties ${CMAKE_SOURCE_DIR}/conf/sample.credentials
  DESTINATION ${SFSYNC_CONFIG_DIR})
file(GLOB _jobs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/jobs/*.json)
file(GLOB _chains CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/chains/*.json)
file(GLOB _oob CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/conf/oob/*.json)
install(FILES ${_jobs} DESTINATION ${SFSYNC_CONFIG_DIR}/jobs)
install(FILES ${_chains} DESTINATION ${SFSYNC_CONFIG_DIR}/chains)
install(FILES ${_oob} DESTINATION ${SFSYNC_CONFIG_DIR}/oob)
install(DIRECTORY DESTINATION ${SFSYNC_STATE_DIR})
install(DIRECTORY DESTINATION ${SFSYNC_LOG_DIR})

# The unit names the binary by its absolute path, known only at install time (cpack installs with
# prefix /usr whatever the build directory's prefix): generated then.
install(CODE "
  set(SFSYNC_EXECUTABLE \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/sfsyncd\")
  set(SFSYNC_DOC_DIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}\")
  set(SFSYNC_CONFIG_DIR \"${SFSYNC_CONFIG_DIR}\")
  set(SFSYNC_STATE_DIR \"${SFSYNC_STATE_DIR}\")
  set(SFSYNC_LOG_DIR \"${SFSYNC_LOG_DIR}\")
  configure_file(\"${CMAKE_SOURCE_DIR}/packaging/sfsyncd.service.in\" \"${_pkg}/sfsyncd.service\" @ONLY)
")
install(FILES ${_pkg}/sfsyncd.service DESTINATION ${SFSYNC_SYSTEMD_UNIT_DIR})

# Maintainer scripts and conffiles (every installed file under the configuration directory).
foreach(_script postinst prerm postrm)
  configure_file(${CMAKE_SOURCE_DIR}/packaging/debian/${_script}.in ${_pkg}/debian/${_script} @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
      WORLD_EXECUTE)
endforeach()
set(_conffiles "${SFSYNC_CONFIG_DIR}/sfsync.properties\n${SFSYNC_CONFIG_DIR}/sample.credentials\n")
foreach(_f ${_jobs})
  get_filename_component(_n ${_f} NAME)
  string(APPEND _conffiles "${SFSYNC_CONFIG_DIR}/jobs/${_n}\n")
endforeach()
foreach(_f ${_chains})
  get_filename_component(_n ${_f} NAME)
  string(APPEND _conffiles "${SFSYNC_CONFIG_DIR}/chains/${_n}\n")
endforeach()
foreach(_f ${_oob})
  get_filename_component(_n ${_f} NAME)
  string(APPEND _conffiles "${SFSYNC_CONFIG_DIR}/oob/${_n}\n")
endforeach()
file(WRITE ${_pkg}/debian/conffiles.new "${_conffiles}")
configure_file(${_pkg}/debian/conffiles.new ${_pkg}/debian/conffiles COPYONLY)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "sfsync")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "sfsync")
set(CPACK_PACKAGE_CONTACT "sfsync maintainers <sfsync@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Salesforce to local store replication daemon")
set(CPACK_PACKAGE_DESCRIPTION "sfsyncd copies Salesforce objects into a local SQLite store on
schedule, with per-run activity, error files and an admin HTTP API and page. Runs as the systemd
service sfsyncd.service under the dedicated system user sfsync.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_INSTALL_PREFIX "/usr")  # the prefix cpack installs with (CPACK_SET_DESTDIR)
set(CPACK_SET_DESTDIR ON)  # absolute destinations (/etc, /var, /lib) land in the package
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the linked libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${_pkg}/debian/postinst ${_pkg}/debian/prerm ${_pkg}/debian/postrm ${_pkg}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# cpack must not rebuild the whole tree (tests, benchmarks) before packaging sfsyncd.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
