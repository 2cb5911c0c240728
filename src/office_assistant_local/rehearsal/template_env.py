"""The environment the template gives a function, with its CloudFormation references resolved to local resources.

`{"Ref": <table>}` becomes the name of a table the rehearsal created on moto, `{"Ref": <secret>}` that secret's
ARN, and so on. A value the rehearsal cannot resolve stops it: it is something a deploy would resolve that this
run cannot check.
"""

from __future__ import annotations

from typing import Any


class UnresolvedValueError(ValueError):
    """A template value with no local counterpart."""


def resolve(value: Any, resolved: dict[str, str], where: str) -> str:
    """A template value (string or intrinsic) as the string the deployed function would see."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in resolved:
        return resolved[value["Ref"]]
    if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
        logical_id, attribute = value["Fn::GetAtt"]
        key = f"{logical_id}.{attribute}"
        if key in resolved:
            return resolved[key]
    raise UnresolvedValueError(f"{where} is {value!r}: no local resource stands for it")


def function_environment(variables: dict[str, Any], resolved: dict[str, str], function: str) -> dict[str, str]:
    return {name: resolve(value, resolved, f"{function}'s {name}") for name, value in variables.items()}
