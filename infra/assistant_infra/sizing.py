"""Each function's memory, from measurement: the rehearsal's CPU time of a cold start and its peak RSS.

Lambda gives a function memory/1769 of a vCPU, so the CPU work of a cold start (init + first invocation, which
the Task state's clock both counts) takes `cpu_ms * 1769 / memory` of wall time at that size. A function gets the
smallest multiple of 128 MB that does that work within its cold-start budget and holds twice its peak RSS.

The numbers are `office-assistant rehearse --json bench/rehearsal.json` (x86_64, Python 3.13, the synthesized
assets and layers under awslambdaric; CPU time is user + system from /proc, which does not grow with the load of
the machine the way wall time does). tests/infra check that MEMORY_MB is what MEASURED gives and that MEASURED
is what bench/rehearsal.json says; rerun the rehearsal and update MEASURED when the code's cold path changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FULL_VCPU_MB = 1769
"""At 1769 MB a function has the equivalent of one vCPU (Lambda's documented memory/CPU ratio)."""
MEMORY_STEP_MB = 128
MIN_MEMORY_MB = 128
RSS_HEADROOM = 2.0


@dataclass(frozen=True)
class Measured:
    """One function in the rehearsal: CPU ms of its init and first invocation, and its peak RSS."""

    init_cpu_ms: float
    first_invoke_cpu_ms: float
    rss_mb: float


MEASURED: dict[str, Measured] = {
    "webhook": Measured(390, 180, 76.6),
    "route": Measured(380, 2440, 179.8),
    "history": Measured(280, 970, 125.2),
    "relevance": Measured(240, 1000, 125.3),
    "auxiliary": Measured(310, 290, 71.6),
    "respond": Measured(320, 2360, 215.6),
}

COLD_BUDGET_S: dict[str, float] = {
    "webhook": 1.5,  # half of Slack's 3 s to acknowledge, for a cold start's ack
    "route": 3.0,  # the pre-processing alarm's threshold: a cold start alone should not breach it
    "history": 2.5,  # half the branch's 5 s Lambda timeout: the rest is Weaviate's and the secret's round trips
    "relevance": 2.5,
    "auxiliary": 2.5,
    "respond": 3.0,
}


def memory_for(measured: Measured, cold_budget_s: float) -> int:
    """The smallest 128 MB step that runs the cold start's CPU work within the budget and holds 2 x peak RSS."""
    cpu_s = (measured.init_cpu_ms + measured.first_invoke_cpu_ms) / 1000
    for_cpu = cpu_s * FULL_VCPU_MB / cold_budget_s
    needed = max(MIN_MEMORY_MB, for_cpu, measured.rss_mb * RSS_HEADROOM)
    return math.ceil(needed / MEMORY_STEP_MB) * MEMORY_STEP_MB


MEMORY_MB: dict[str, int] = {name: memory_for(MEASURED[name], COLD_BUDGET_S[name]) for name in MEASURED}
