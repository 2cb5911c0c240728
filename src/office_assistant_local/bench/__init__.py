"""`office-assistant bench`: latency of the parallel workflow against the serial order and the physical limit.

The entry point is `office_assistant_local.bench.report.run_bench`; this package is not imported by any handler.
"""
