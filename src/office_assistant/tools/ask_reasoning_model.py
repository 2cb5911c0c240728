"""ask_reasoning_model: put a hard question to a reasoning model (legacy ask_openai_o1, model now a setting)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ChatModelError, ToolServiceError
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    reasoning = context.ports.reasoning
    assert reasoning is not None  # offered only with a reasoning model configured
    messages = [{"role": "user", "content": arguments["question"]}]
    try:
        reply = reasoning.chat_model.complete(messages, reasoning.model, 1.0, reasoning.max_tokens)
    except ChatModelError as error:
        raise ToolServiceError(f"the reasoning model failed: {error}") from error
    return {"model": reply.model, "answer": reply.text}


TOOL = ToolSpec(
    name="ask_reasoning_model",
    description=(
        "Ask a slower reasoning model a hard question (multi-step logic, planning, tricky maths). Give it the whole "
        "problem with every fact it needs: it does not see this conversation."
    ),
    parameters=object_schema(
        {"question": {"type": "string", "minLength": 1, "maxLength": 8000, "description": "the whole problem"}},
        required=("question",),
    ),
    run=_run,
    requires=("reasoning",),
    replaces=("ask_openai_o1",),
)
