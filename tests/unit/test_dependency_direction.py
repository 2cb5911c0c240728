"""Dependencies point inwards: the domain and the services import no vendor SDK and no adapter; observability
imports no service."""

from __future__ import annotations

import sys

from tests.unit.test_package_boundary import SHIPPED, imported_modules

INNER = ("office_assistant.domain", "office_assistant.ports")
# What a service may use besides the standard library and the inner layers: its fellow services, the typed
# workflow input intake starts executions with, and pydantic (tool argument schemas).
SERVICE_ALLOWED = (
    *INNER,
    "office_assistant.services",
    "office_assistant.tools",  # the model's tool registry, which acts through the ports only
    "office_assistant.workflow.payloads",
    "office_assistant.workflow.limits",  # the quotas and inline budgets: constants and a size function
    "pydantic",
)


def _outside(name: str, allowed: tuple[str, ...]) -> bool:
    if name.split(".")[0] in sys.stdlib_module_names:
        return False
    return not any(name == prefix or name.startswith(prefix + ".") for prefix in allowed)


def _offences(folder: str, allowed: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(SHIPPED).as_posix()} imports {name}"
        for path in sorted((SHIPPED / folder).glob("*.py"))
        for name in sorted(imported_modules(path))
        if _outside(name, allowed)
    ]


def test_domain_imports_only_the_standard_library_and_itself() -> None:
    assert _offences("domain", ("office_assistant.domain",)) == []


def test_services_import_no_vendor_sdk_and_no_concrete_adapter() -> None:
    assert _offences("services", SERVICE_ALLOWED) == []


def test_tools_import_no_vendor_sdk_and_no_concrete_adapter() -> None:
    # jsonschema validates the model's arguments; simpleeval parses maths without executing it
    assert _offences("tools", (*SERVICE_ALLOWED, "jsonschema", "simpleeval")) == []


def test_observability_imports_no_service_and_no_adapter() -> None:
    names = imported_modules(SHIPPED / "observability.py")

    assert [n for n in names if n.startswith(("office_assistant.services", "office_assistant.adapters"))] == []


def test_the_direction_check_catches_a_service_that_imports_an_sdk() -> None:
    assert _outside("slack_sdk.signature", SERVICE_ALLOWED)
    assert _outside("office_assistant.adapters.documents", SERVICE_ALLOWED)
    assert not _outside("office_assistant.domain.messages", SERVICE_ALLOWED)
    assert not _outside("hashlib", SERVICE_ALLOWED)
