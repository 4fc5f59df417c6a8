# cmake -DAR=ar -DRANLIB=ranlib -DOUT=libomen.a -DMRI=merge.mri -P merge_archives.cmake
# Runs the ar MRI script written by cmake/install.cmake (create OUT, addlib ..., save).
file(REMOVE ${OUT})
execute_process(COMMAND ${AR} -M INPUT_FILE ${MRI} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${OUT})
  message(FATAL_ERROR "merging archives into ${OUT} failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${RANLIB} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ranlib ${OUT} failed")
endif()
