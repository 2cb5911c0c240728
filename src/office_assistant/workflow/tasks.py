"""The Lambda tasks of the workflow: ASL placeholder ↔ function name ↔ handler module.

Both the CDK app (to build the functions and fill the placeholders) and the local engine (to dispatch a task to
its handler in-process) read this table, so the names live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
ASL_PATH = PROJECT_ROOT / "statemachine" / "assistant.asl.json"
FUNCTIONS_DIR = PROJECT_ROOT / "functions"


@dataclass(frozen=True)
class LambdaTask:
    """One Lambda function that a Task state invokes."""

    placeholder: str  # ${...} name in the ASL file
    name: str  # function name; the last part of its ARN
    folder: str  # functions/<folder>/ is the function's code asset
    module: str  # module inside the folder; Lambda handler is "<module>.lambda_handler"

    @property
    def handler(self) -> str:
        return f"{self.module}.lambda_handler"

    @property
    def import_path(self) -> str:
        """Dotted path of the handler module when imported from the project root (local engine, tests)."""
        return f"functions.{self.folder}.{self.module}"


TASKS: tuple[LambdaTask, ...] = (
    LambdaTask("RouteFunctionArn", "route", "ingest", "route"),
    LambdaTask("HistoryFunctionArn", "history", "history", "handler"),
    LambdaTask("RelevanceFunctionArn", "relevance", "relevance", "handler"),
    LambdaTask("AuxiliaryFunctionArn", "auxiliary", "auxiliary", "handler"),
    LambdaTask("RespondFunctionArn", "respond", "respond", "handler"),
)

WEBHOOK = LambdaTask("WebhookFunctionArn", "webhook", "ingest", "webhook")

EMAIL = LambdaTask("EmailFunctionArn", "email", "email", "handler")
"""The email source: fed by its SQS queue (not a state of the workflow; it starts executions like the webhook)."""
