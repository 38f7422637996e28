# vigie_layer(NAME SOURCES ... [DEPS ...] [INTERNAL_INCLUDES ...])
#
# One folder of the tree = one static library (docs/architecture.md, "Layers").
#  - include/ (the public headers, vigie/*.h) is PUBLIC: whoever links the
#    library may include them;
#  - the folders named in INTERNAL_INCLUDES (common/ for the engine's
#    internal headers, indexer/ or server/ for a program's own) are PRIVATE:
#    they do not leak to whoever links the library, so server/ and cli/ do
#    not see common/'s internals;
#  - DEPS are linked PUBLIC (a static library only passes them on to the
#    link line);
#  - warnings come from vigie_warnings, the one interface target.
# Which layer may include which is checked by scripts/check-layers (a test).
function(vigie_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS;INTERNAL_INCLUDES" ${ARGN})
  add_library(${name} STATIC ${L_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                     PRIVATE ${L_INTERNAL_INCLUDES})
  target_link_libraries(${name} PUBLIC ${L_DEPS} PRIVATE vigie_warnings)
endfunction()
