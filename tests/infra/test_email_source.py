"""The email source in the template: queue → function with partial batch responses, DLQ, alarm on the DLQ."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant_infra.email_source import DLQ_RETENTION, EMAIL_FUNCTION_TIMEOUT, MAX_RECEIVES

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def _queue(synthesised: Synthesised, construct: Any) -> dict[str, Any]:
    return synthesised.resources[synthesised.logical_id(construct)]["Properties"]  # type: ignore[no-any-return]


def test_email_queue_sends_a_record_failed_three_times_to_the_dead_letter_queue(synthesised: Synthesised) -> None:
    source = synthesised.stack.email_source

    queue = _queue(synthesised, source.queue)
    dead_letters = _queue(synthesised, source.dead_letters)

    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [synthesised.logical_id(source.dead_letters), "Arn"]},
        "maxReceiveCount": MAX_RECEIVES,
    }
    assert queue["VisibilityTimeout"] == 6 * EMAIL_FUNCTION_TIMEOUT.to_seconds()
    assert dead_letters["MessageRetentionPeriod"] == DLQ_RETENTION.to_seconds()
    assert queue["SqsManagedSseEnabled"] is True and dead_letters["SqsManagedSseEnabled"] is True


def test_email_function_reads_the_queue_reporting_batch_item_failures(synthesised: Synthesised) -> None:
    function = synthesised.logical_id(synthesised.stack.functions["email"].function)

    [mapping] = synthesised.of_type("AWS::Lambda::EventSourceMapping").values()

    properties = mapping["Properties"]
    assert properties["FunctionName"] == {"Ref": function}
    assert properties["EventSourceArn"] == {
        "Fn::GetAtt": [synthesised.logical_id(synthesised.stack.email_source.queue), "Arn"]
    }
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_dead_letter_alarm_fires_on_one_message_and_notifies_the_topic(synthesised: Synthesised) -> None:
    source = synthesised.stack.email_source
    topic = {"Ref": synthesised.logical_id(synthesised.stack.observability.topic)}

    alarm = synthesised.resources[synthesised.logical_id(source.dead_letter_alarm)]["Properties"]

    assert (alarm["MetricName"], alarm["Namespace"]) == ("ApproximateNumberOfMessagesVisible", "AWS/SQS")
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": [synthesised.logical_id(source.dead_letters), "QueueName"]}}
    ]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")
    assert alarm["AlarmActions"] == [topic] and alarm["OKActions"] == [topic]


def test_both_queues_refuse_requests_without_tls(synthesised: Synthesised) -> None:
    policies = synthesised.of_type("AWS::SQS::QueuePolicy").values()

    denied = [
        statement
        for policy in policies
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    ]

    assert len(denied) == 2
