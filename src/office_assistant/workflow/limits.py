"""The AWS quotas the workflow's data lives under, and the budgets that keep every state within them.

Step Functions caps every state's input (after Parameters), output and the execution input at 256 KiB of UTF-8
JSON, and its `States.DataLimitExceeded` is terminal (no `States.ALL` Catch sees it, the user gets no reply).
Lambda caps a synchronous invoke at 6 MB each way. The budgets below are what one part of a state may hold
inline; anything larger travels by reference (`services.claim_check`), so the largest possible state is the
sum of the budgets plus an embedding, well under the quota (see `worst_state_bytes`).
"""

from __future__ import annotations

import json
from typing import Any

STATE_PAYLOAD_QUOTA_BYTES = 256 * 1024  # Step Functions: 262,144 bytes of UTF-8 JSON per state input/output
LAMBDA_REQUEST_QUOTA_BYTES = 6 * 1024 * 1024  # Lambda synchronous invoke request: 6,291,456 bytes
LAMBDA_RESPONSE_QUOTA_BYTES = LAMBDA_REQUEST_QUOTA_BYTES + 100  # the response quota Lambda reports: 6,291,556

INLINE_MESSAGE_BYTES = 32 * 1024  # a message (execution input, Route's output) larger than this goes by reference
INLINE_BRANCH_BYTES = 32 * 1024  # each GatherContext branch result larger than this goes by reference
MAX_EMBEDDING_DIMENSIONS = 3072  # text-embedding-3-large, the widest embedding Settings may select
FAILURE_CAUSE_BYTES = 32 * 1024  # Step Functions keeps at most 32,768 characters of an error's cause


def json_bytes(value: Any) -> int:
    """The size Step Functions measures: UTF-8 bytes of the value as compact JSON (non-ASCII unescaped)."""
    # surrogatepass: a lone surrogate (fuzzed input) counts as its 3 bytes instead of failing the measurement
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def worst_state_bytes() -> int:
    """An upper bound on Respond's input, the workflow's largest state, with every part at its budget.

    The message inline, the embedding at the widest dimensions (a float as JSON is at most 24 characters), and
    each of the three branches either inline at its budget or degraded with a failure cause at AWS's cap; the
    notes and field names are a few KiB at most.
    """
    embedding = MAX_EMBEDDING_DIMENSIONS * 25
    branches = 3 * max(INLINE_BRANCH_BYTES, FAILURE_CAUSE_BYTES + 1024)
    return INLINE_MESSAGE_BYTES + embedding + branches + 8 * 1024
