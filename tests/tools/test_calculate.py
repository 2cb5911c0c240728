"""calculate: exact answers, and model-written code is never run (no names, attributes, imports or strings)."""

from __future__ import annotations

import pytest

from office_assistant.tools.exact_maths import MathsError, evaluate
from tests.tools.conftest import plain_ports, run, toolset


@pytest.mark.parametrize(
    ("expression", "answer"),
    [
        ("0.1 + 0.2", {"exact": "3/10", "decimal": 0.3}),
        ("15/100 * 2340", {"exact": "351", "decimal": 351.0}),
        ("10000 * (1 + 0.04)**5", {"exact": "190102016/15625", "decimal": 12166.529024}),
        ("sqrt(1764)", {"exact": "42", "decimal": 42.0}),
        ("1/3 + 1/6", {"exact": "1/2", "decimal": 0.5}),
        ("2^10", {"exact": "1024", "decimal": 1024.0}),
        ("(3*5 + 7) == 22", {"value": True}),
        ("round(486/7, 2)", {"exact": "6943/100", "decimal": 69.43}),
    ],
)
def test_calculate_answers_exactly(expression: str, answer: dict[str, object]) -> None:
    tools = toolset(plain_ports(), "calculate")

    assert run(tools, "calculate", {"expression": expression}) == {"result": {"expression": expression, **answer}}


@pytest.mark.parametrize(
    "expression",
    [
        '__import__("os").system("id")',
        "(1).__class__.__bases__",
        "open('/etc/passwd')",
        "[x for x in range(10)]",
        "lambda: 1",
        "'a' * 10",
        "x = 3",
        "exec('1')",
        "eval",
    ],
)
def test_code_is_refused_not_run(expression: str) -> None:
    with pytest.raises(MathsError):
        evaluate(expression)


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("9**9**9", "the power has more than 2000 digits"),
        ("factorial(100000)", "factorial is limited to n ≤ 1000"),
        ("1/0", "division by zero"),
        ("(-8)**0.5", "a negative number to a fractional power is not a real number"),
        ("2 +", "not a valid expression: invalid syntax"),
    ],
)
def test_too_big_or_invalid_expressions_become_error_messages(expression: str, problem: str) -> None:
    tools = toolset(plain_ports(), "calculate")

    assert run(tools, "calculate", {"expression": expression}) == {"error": problem}


def test_the_deadline_stops_a_long_calculation() -> None:
    long_sum = " + ".join(["factorial(900)"] * 25)

    with pytest.raises(MathsError, match="took too long"):
        evaluate(long_sum, timeout_s=0.0)


def test_an_expression_over_the_length_limit_is_refused_by_the_schema() -> None:
    tools = toolset(plain_ports(), "calculate")

    result = run(tools, "calculate", {"expression": "1+" * 300 + "1"})

    assert result["error"].startswith("invalid arguments for calculate: expression: ")
    assert "is too long" in result["error"]
