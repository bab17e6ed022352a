# Runs one seed of every fault mix twice with the step trace on and fails unless both traces are
# identical: the simulator (and the core) must be a pure function of the seed.
foreach(mix none network crashes partitions membership all)
  foreach(round 1 2)
    execute_process(COMMAND ${SIM} --seed 4242 --nodes 5 --faults ${mix} -v
                    OUTPUT_VARIABLE trace_${round} RESULT_VARIABLE ignored)
  endforeach()
  string(LENGTH "${trace_1}" length)
  if(length LESS 1000)
    message(FATAL_ERROR "faults ${mix}: the trace is missing (${length} bytes)")
  endif()
  if(NOT trace_1 STREQUAL trace_2)
    message(FATAL_ERROR "faults ${mix}: two runs of seed 4242 differ")
  endif()
endforeach()
