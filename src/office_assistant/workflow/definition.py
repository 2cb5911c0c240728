"""Load the ASL file, list its ${...} placeholders and fill them in."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.tasks import ASL_PATH, TASKS

if TYPE_CHECKING:
    from pathlib import Path

_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def load_text(path: Path = ASL_PATH) -> str:
    return path.read_text(encoding="utf-8")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def substitute(text: str, values: dict[str, str]) -> str:
    """Fill every ${name}; a placeholder without a value is an error, as it is for CDK at deploy time."""
    missing = placeholders(text) - values.keys()
    if missing:
        raise KeyError(f"no value for ASL placeholders: {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def local_function_arn(name: str, region: str = "us-east-1", account: str = "123456789012") -> str:
    return f"arn:aws:lambda:{region}:{account}:function:{name}"


def load_local(path: Path = ASL_PATH) -> dict[str, Any]:
    """The definition with every task placeholder filled by a local function ARN named after the task."""
    text = substitute(load_text(path), {task.placeholder: local_function_arn(task.name) for task in TASKS})
    result: dict[str, Any] = json.loads(text)
    return result
