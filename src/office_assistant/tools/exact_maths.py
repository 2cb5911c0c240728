"""Exact arithmetic on an expression the model wrote, without executing it as code (the legacy `exec`ed it).

simpleeval walks the parsed expression and allows only the nodes kept here: numbers, + - * / // % **, unary
signs, comparisons, parentheses and a whitelist of functions and constants. Names, attributes, subscripts,
strings, lambdas and every other construct are refused. Numbers are exact (fractions) until a function or a
fractional power needs floating point. Limits keep every single step small (powers, factorials, digits), and
a deadline checked at every node caps the time.
"""

from __future__ import annotations

import ast
import math
import operator
import time
from fractions import Fraction
from typing import Any

from simpleeval import InvalidExpression, SimpleEval

from office_assistant.domain.errors import ToolServiceError

MAX_EXPRESSION_CHARS = 500
MAX_DIGITS = 2000  # of any intermediate integer, numerator or denominator
MAX_FACTORIAL = 1000

Number = int | float | Fraction


class MathsError(ToolServiceError):
    """The expression is not allowed, not valid, too big or too slow."""


def _digits(value: Number) -> int:
    if isinstance(value, Fraction):
        return max(_digits(value.numerator), _digits(value.denominator))
    if isinstance(value, int):
        return len(str(abs(value))) if abs(value) < 10**MAX_DIGITS else MAX_DIGITS + 1
    return 0


def _checked(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise MathsError("the result is not a finite number")
    if _digits(value) > MAX_DIGITS:
        raise MathsError(f"a number in the calculation has more than {MAX_DIGITS} digits")
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def _divide(a: Number, b: Number) -> Number:
    if b == 0:
        raise MathsError("division by zero")
    if isinstance(a, float) or isinstance(b, float):
        return a / b
    return Fraction(a) / Fraction(b)


def _power(base: Number, exponent: Number) -> Number:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        exponent = exponent.numerator
    if isinstance(exponent, int):
        size = abs(exponent) * max(1.0, math.log10(abs(float(base))) if base else 1.0)
        if abs(exponent) > 10_000 or size > MAX_DIGITS:
            raise MathsError(f"the power has more than {MAX_DIGITS} digits")
        if base == 0 and exponent < 0:
            raise MathsError("division by zero")
        return Fraction(base) ** exponent if not isinstance(base, float) else base**exponent
    if base < 0:
        raise MathsError("a negative number to a fractional power is not a real number")
    result: float = float(base) ** float(exponent)
    return result


def _factorial(n: Number) -> int:
    if isinstance(n, float) or (isinstance(n, Fraction) and n.denominator != 1) or n < 0:
        raise MathsError("factorial needs a whole number ≥ 0")
    if n > MAX_FACTORIAL:
        raise MathsError(f"factorial is limited to n ≤ {MAX_FACTORIAL}")
    return math.factorial(int(n))


def _sqrt(x: Number) -> Number:
    if x < 0:
        raise MathsError("the square root of a negative number is not a real number")
    if not isinstance(x, float):
        fraction = Fraction(x)
        top, bottom = math.isqrt(fraction.numerator), math.isqrt(fraction.denominator)
        if top * top == fraction.numerator and bottom * bottom == fraction.denominator:
            return Fraction(top, bottom)
    return math.sqrt(x)


def _whole(function: Any) -> Any:
    def whole(*args: Number) -> int:
        if any(isinstance(a, float) or (isinstance(a, Fraction) and a.denominator != 1) for a in args):
            raise MathsError(f"{function.__name__} needs whole numbers")
        if function in (math.comb, math.perm) and any(abs(Fraction(a)) > 10**6 for a in args):
            raise MathsError(f"{function.__name__} is limited to numbers up to a million")
        return int(function(*(int(a) for a in args)))

    return whole


def _float_function(function: Any) -> Any:
    def apply(*args: Number) -> float:
        try:
            return float(function(*(float(a) for a in args)))
        except (ValueError, OverflowError) as error:
            raise MathsError(f"{function.__name__}: {error}") from error

    return apply


FUNCTIONS: dict[str, Any] = {
    "sqrt": _sqrt,
    "abs": abs,
    "round": lambda x, digits=0: round(Fraction(x), int(digits)) if not isinstance(x, float) else round(x, int(digits)),
    "floor": math.floor,
    "ceil": math.ceil,
    "min": min,
    "max": max,
    "factorial": _factorial,
    "gcd": _whole(math.gcd),
    "lcm": _whole(math.lcm),
    "comb": _whole(math.comb),
    "perm": _whole(math.perm),
    "exp": _float_function(math.exp),
    "ln": _float_function(math.log),
    "log": _float_function(lambda x, base=10: math.log(x, base)),
    "log2": _float_function(math.log2),
    "sin": _float_function(math.sin),
    "cos": _float_function(math.cos),
    "tan": _float_function(math.tan),
    "asin": _float_function(math.asin),
    "acos": _float_function(math.acos),
    "atan": _float_function(math.atan),
    "degrees": _float_function(math.degrees),
    "radians": _float_function(math.radians),
}
CONSTANTS: dict[str, Any] = {"pi": math.pi, "e": math.e, "tau": math.tau}
OPERATORS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _divide,
    ast.FloorDiv: lambda a, b: operator.floordiv(a, b) if b != 0 else _divide(a, b),
    ast.Mod: lambda a, b: operator.mod(a, b) if b != 0 else _divide(a, b),
    ast.Pow: _power,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
ALLOWED_NODES = frozenset({ast.Expr, ast.Name, ast.UnaryOp, ast.BinOp, ast.Compare, ast.Call, ast.Constant})


class _ExactEvaluator(SimpleEval):  # type: ignore[misc]  # simpleeval ships no type hints
    def __init__(self, deadline: float) -> None:
        super().__init__(operators=OPERATORS, functions=FUNCTIONS, names=CONSTANTS)
        nodes: dict[type, Any] = getattr(self, "nodes")  # noqa: B009  (simpleeval is untyped)
        self.nodes = {node: handler for node, handler in nodes.items() if node in ALLOWED_NODES}
        self.deadline = deadline

    def _eval(self, node: ast.AST) -> Any:
        if time.monotonic() > self.deadline:
            raise MathsError("the calculation took too long")
        return _checked(super()._eval(node))

    def _eval_constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise MathsError("only numbers are allowed, not text or other values")
        return Fraction(repr(value)) if isinstance(value, float) and math.isfinite(value) else value

    def _eval_call(self, node: ast.Call) -> Any:
        if node.keywords:
            raise MathsError("functions take positional arguments only")
        return super()._eval_call(node)


def evaluate(expression: str, timeout_s: float = 2.0) -> Number | bool:
    """The exact value of `expression` (a Fraction or int where exact, else a float); MathsError otherwise."""
    text = expression.strip().replace("^", "**").replace("×", "*").replace("÷", "/")
    if not text:
        raise MathsError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise MathsError(f"the expression is over {MAX_EXPRESSION_CHARS} characters")
    evaluator = _ExactEvaluator(time.monotonic() + timeout_s)
    try:
        tree = ast.parse(text, mode="eval").body
        result: Number | bool = evaluator.eval(text, previously_parsed=tree)
    except MathsError:
        raise
    except SyntaxError as error:
        raise MathsError(f"not a valid expression: {error.msg}") from error
    except InvalidExpression as error:
        raise MathsError(str(error).split("\n")[0]) from error
    except (ArithmeticError, ValueError, TypeError) as error:
        raise MathsError(f"{type(error).__name__}: {error}") from error
    return result


def describe(value: Number | bool) -> dict[str, Any]:
    """The result as the model reads it: exact form and decimal value."""
    if isinstance(value, bool):
        return {"value": value}
    if isinstance(value, Fraction):
        return {"exact": f"{value.numerator}/{value.denominator}", "decimal": float(value)}
    if isinstance(value, int):
        return {"exact": str(value), "decimal": float(value) if value.bit_length() < 1000 else None}
    return {"decimal": value, "exact": None}
