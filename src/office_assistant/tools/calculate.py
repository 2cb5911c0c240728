"""calculate: exact arithmetic on an expression, evaluated without executing it (legacy solve_maths exec'd code)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.exact_maths import CONSTANTS, FUNCTIONS, MAX_EXPRESSION_CHARS, describe, evaluate
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    expression = arguments["expression"]
    return {"expression": expression, **describe(evaluate(expression, context.ports.maths_timeout_s))}


TOOL = ToolSpec(
    name="calculate",
    description=(
        "Evaluate an arithmetic expression exactly (fractions stay exact): + - * / // % ** (or ^), comparisons, "
        f"constants {', '.join(CONSTANTS)} and functions {', '.join(FUNCTIONS)}. No variables: work out equations "
        "yourself and check them here."
    ),
    parameters=object_schema(
        {
            "expression": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_EXPRESSION_CHARS,
                "description": "e.g. 10000 * (1 + 0.04)**5 or sqrt(1764)",
            }
        },
        required=("expression",),
    ),
    run=_run,
    replaces=("solve_maths",),
)
