"""The email source's queue: SQS → the email function (partial batch responses) → a dead-letter queue + alarm.

A record the function reports as failed (`batchItemFailures`) is delivered again; after MAX_RECEIVES it moves to
the dead-letter queue, kept 14 days, and one message there raises the alarm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_sns as sns

EMAIL_FUNCTION_TIMEOUT = Duration.seconds(30)  # a claim and a StartExecution per record, ten records a batch
MAX_RECEIVES = 3
BATCH_SIZE = 10
DLQ_RETENTION = Duration.days(14)  # SQS's maximum


class EmailSource(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function: lambda_.IFunction,
        alarm_topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DLQ_RETENTION,
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            # AWS's advice for a Lambda source: at least six times the function's timeout
            visibility_timeout=Duration.seconds(6 * EMAIL_FUNCTION_TIMEOUT.to_seconds()),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=MAX_RECEIVES, queue=self.dead_letters),
        )
        function.add_event_source(
            event_sources.SqsEventSource(self.queue, batch_size=BATCH_SIZE, report_batch_item_failures=True)
        )
        self.dead_letter_alarm = cw.Alarm(
            self,
            "DeadLetterAlarm",
            alarm_description=f"An email record failed {MAX_RECEIVES} times and is in the dead-letter queue: "
            "look at the email function's logs, fix, then redrive the queue.",
            metric=self.dead_letters.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(5), statistic="Maximum"
            ),
            threshold=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        self.dead_letter_alarm.add_alarm_action(cw_actions.SnsAction(alarm_topic))
        self.dead_letter_alarm.add_ok_action(cw_actions.SnsAction(alarm_topic))
