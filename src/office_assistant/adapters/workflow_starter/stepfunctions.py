"""Step Functions starter: one execution per inbound message, named after it so a repeated start is harmless.

Step Functions dedupes by execution name only for **Standard** state machines: a second StartExecution with the
same name either returns the running execution (same input) or fails with ``ExecutionAlreadyExists`` (other input,
or the first one has finished), for 90 days. **Express** state machines (ours) do not dedupe by name at all: each
start is a new execution. So the webhook's own dedupe claim (StateTable.claim on the platform's event id) is still
needed, and every step that writes or posts stays idempotent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions.client import SFNClient

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 80
_VALID_NAME = re.compile(r"[0-9A-Za-z_-]{1,80}")
_INVALID_RUN = re.compile(r"[^0-9A-Za-z_-]+")
_DIGEST_LENGTH = 16


def valid_execution_name(name: str) -> str:
    """A valid execution name (1-80 of ``[0-9A-Za-z_-]``) for `name`: itself when valid, else a readable prefix
    plus a hash of the whole of `name`, so distinct names never collapse into one."""
    if _VALID_NAME.fullmatch(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:_DIGEST_LENGTH]
    prefix = _INVALID_RUN.sub("-", name).strip("-")[: MAX_NAME_LENGTH - _DIGEST_LENGTH - 1]
    return f"{prefix}-{digest}" if prefix else digest


class StepFunctionsStarter:
    """WorkflowStarter on AWS Step Functions (StartExecution, asynchronous)."""

    def __init__(self, state_machine_arn: str, boto3_client: SFNClient | None = None) -> None:
        self.state_machine_arn = state_machine_arn
        self.client: SFNClient = boto3_client if boto3_client is not None else boto3.client("stepfunctions")

    def start(self, name: str, payload: dict[str, Any]) -> str:
        """Start the execution for `name`; one that already exists under that name counts as started."""
        valid_name = valid_execution_name(name)
        try:
            response = self.client.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=valid_name,
                input=json.dumps(payload, sort_keys=True, separators=(",", ":")),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
                raise
            logger.info("execution already started", extra={"execution_name": valid_name})
            return self.execution_arn(valid_name)
        return str(response["executionArn"])

    def execution_arn(self, valid_name: str) -> str:
        """The ARN of the Standard execution `valid_name` of this state machine."""
        return self.state_machine_arn.replace(":stateMachine:", ":execution:", 1) + ":" + valid_name
