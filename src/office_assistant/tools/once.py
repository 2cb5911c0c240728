"""Once per message: a tool that writes or posts does it once, however often Respond is retried.

A Respond retried after its reply failed to post runs the tool loop again, and the model asks for the same
write again. Before writing, the tool claims a key made of the message and what is written in the state table;
a second attempt finds the claim and is told the write was done. A write that fails releases its claim, so a
later attempt may try again.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.tools.spec import ToolContext

CLAIM_TTL_S = 48 * 3600  # as long as Respond's idempotency records: a retry comes within that


def claim_key(context: ToolContext, action: str, what: object) -> str:
    """The claim of doing `action` on `what` while answering this message."""
    digest = hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:32]
    message = context.message
    return f"tool-{action}#{message.conversation_key}#{message.message_id}#{digest}"


def once(context: ToolContext, action: str, what: object, write: Callable[[], Any]) -> Any:
    """`write()`'s result the first time `action` is done on `what` for this message; a note after that."""
    key = claim_key(context, action, what)
    if not context.ports.state.claim(key, CLAIM_TTL_S):
        return {"already_done": True, "note": f"an earlier attempt at this message already did this ({action})"}
    try:
        return write()
    except Exception:
        context.ports.state.release(key)  # not done: a later attempt may try again
        raise
