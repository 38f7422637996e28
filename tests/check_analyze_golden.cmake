# Runs `vigie-search --analyze` on the reference sentence and compares its
# output with tests/golden/analyze.txt byte for byte.
execute_process(
  COMMAND ${PROGRAM} --analyze "L’Intelligence Artificielle (IA) du Vice-président, délibération n°2010/80"
  OUTPUT_VARIABLE actual RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vigie-search --analyze exited with ${rc}")
endif()
file(READ ${GOLDEN} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "--analyze output differs from ${GOLDEN}\n--- expected\n${expected}\n--- actual\n${actual}")
endif()
