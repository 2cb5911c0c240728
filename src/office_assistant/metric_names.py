"""CloudWatch metric names: what the runtime emits and what the dashboard and alarms read, named once for both.

Emit them with Powertools ``Metrics(namespace=NAMESPACE)`` and **no** ``service`` (leave
``POWERTOOLS_SERVICE_NAME`` unset): Powertools adds a ``service`` dimension whenever a service name is set, and
CloudWatch treats a metric with an extra dimension as a different metric, which the dashboard and alarms would not
see. The only dimension used is ``BRANCH_DIMENSION`` on ``BRANCH_DURATION``.
"""

from __future__ import annotations

NAMESPACE = "OfficeAssistant"

ACK_LATENCY = "AckLatency"
"""Milliseconds, webhook: request received → 200 returned (Slack retries after 3 s)."""

PREPROCESSING_TIME = "PreprocessingTime"
"""Milliseconds, per message: webhook received it → Respond starts calling the model (route + gathered context)."""

BRANCH_DURATION = "BranchDuration"
"""Milliseconds, per GatherContext branch, with dimension ``BRANCH_DIMENSION`` = one of ``BRANCHES``."""

BRANCH_DIMENSION = "Branch"
BRANCHES: tuple[str, ...] = ("History", "Relevance", "Auxiliary")
"""The GatherContext branches, named as their Task states in statemachine/assistant.asl.json."""

DEGRADED_BRANCHES = "DegradedBranches"
"""Count, per execution: how many branches Respond received as degraded (failed or timed out)."""

MODEL_TOKENS = "ModelTokens"
"""Count, per model call: prompt + completion tokens."""

ALL_METRICS: tuple[str, ...] = (ACK_LATENCY, PREPROCESSING_TIME, BRANCH_DURATION, DEGRADED_BRANCHES, MODEL_TOKENS)
