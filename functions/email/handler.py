"""Email entry point: SQS records of the mail feed → the assistant's workflow, with partial batch failures.

Each record is one email (the legacy's `payload.event`); a malformed one is reported in `batchItemFailures`,
so SQS redelivers only it and, after the queue's receive limit, moves it to the dead-letter queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from office_assistant import bootstrap, observability

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.email_intake import EmailIntake

logger = Logger(service="email")
tracer = observability.tracer("email")


def handle(event: dict[str, Any], email: EmailIntake, context: Any = None) -> dict[str, Any]:
    """The batch response: `{"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}`."""

    def record_handler(record: SQSRecord) -> None:
        sent_ms = record.attributes.sent_timestamp
        email.accept(record.body, float(sent_ms) / 1000 if sent_ms else 0.0)

    # A batch whose every record is malformed is reported record by record too, rather than as a crash.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle(event, bootstrap.services().email, context)
