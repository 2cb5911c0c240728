"""Dashboard, alarms and the SNS topic they notify.

Custom metrics are the runtime's (names in `office_assistant.metric_names`, namespace `OfficeAssistant`); the
rest are AWS's own: the state machine's executions, the functions' durations and errors, the API's latency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from office_assistant.metric_names import (
    ACK_LATENCY,
    BRANCH_DIMENSION,
    BRANCH_DURATION,
    BRANCHES,
    DEGRADED_BRANCHES,
    MODEL_TOKENS,
    NAMESPACE,
    PREPROCESSING_TIME,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aws_cdk import aws_apigatewayv2 as apigwv2
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_stepfunctions as sfn

PREPROCESSING_THRESHOLD_MS = 3000
PREPROCESSING_STATISTIC = "p90"
PREPROCESSING_PERIOD = Duration.minutes(1)
PREPROCESSING_PERIODS = 2  # alarm when 2 of 2 consecutive periods breach

FAILED_RATE_THRESHOLD_PERCENT = 5
FAILED_RATE_PERIOD = Duration.minutes(5)
FAILED_RATE_PERIODS = 1

DASHBOARD_PERIOD = Duration.minutes(1)
ALARM_EMAIL_CONTEXT_KEY = "alarmEmail"  # `-c alarmEmail=ops@example.com` subscribes an address to the topic


def assistant_metric(
    name: str, statistic: str, *, dimensions: Mapping[str, str] | None = None, period: Duration = DASHBOARD_PERIOD
) -> cw.Metric:
    """A metric the runtime emits in the OfficeAssistant namespace."""
    return cw.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        statistic=statistic,
        dimensions_map=dict(dimensions) if dimensions else None,
        period=period,
        label=f"{name} {statistic}" if not dimensions else f"{'/'.join(dimensions.values())} {statistic}",
    )


class Observability(Construct):
    """The alarm topic, the two alarms, and one dashboard for the assistant."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        state_machine: sfn.StateMachine,
        functions: Mapping[str, lambda_.IFunction],
        branch_functions: Mapping[str, lambda_.IFunction],
        http_api: apigwv2.HttpApi,
    ) -> None:
        super().__init__(scope, construct_id)
        # Not KMS-encrypted: notifications carry alarm names and states, no message data, and CloudWatch cannot
        # publish to a topic under the AWS-managed SNS key (a customer-managed key would be needed).
        self.topic = sns.Topic(self, "AlarmTopic", display_name="office-assistant alarms", enforce_ssl=True)
        email = self.node.try_get_context(ALARM_EMAIL_CONTEXT_KEY)
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(str(email)))

        self.preprocessing_alarm = cw.Alarm(
            self,
            "PreprocessingLatencyAlarm",
            alarm_description=f"Pre-processing ({PREPROCESSING_STATISTIC}) above {PREPROCESSING_THRESHOLD_MS} ms "
            f"for {PREPROCESSING_PERIODS} of {PREPROCESSING_PERIODS} minutes: users wait too long for a reply.",
            metric=assistant_metric(PREPROCESSING_TIME, PREPROCESSING_STATISTIC, period=PREPROCESSING_PERIOD),
            threshold=PREPROCESSING_THRESHOLD_MS,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=PREPROCESSING_PERIODS,
            datapoints_to_alarm=PREPROCESSING_PERIODS,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        failed_rate = cw.MathExpression(
            expression="IF(started > 0, 100 * (failed + timedOut) / started, 0)",
            using_metrics={
                "started": state_machine.metric_started(statistic="Sum", period=FAILED_RATE_PERIOD),
                "failed": state_machine.metric_failed(statistic="Sum", period=FAILED_RATE_PERIOD),
                "timedOut": state_machine.metric_timed_out(statistic="Sum", period=FAILED_RATE_PERIOD),
            },
            period=FAILED_RATE_PERIOD,
            label="failed or timed-out executions (%)",
        )
        self.failed_execution_alarm = cw.Alarm(
            self,
            "FailedExecutionRateAlarm",
            alarm_description=f"More than {FAILED_RATE_THRESHOLD_PERCENT}% of workflow executions failed or timed "
            "out in 5 minutes: messages go unanswered.",
            metric=failed_rate,
            threshold=FAILED_RATE_THRESHOLD_PERCENT,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=FAILED_RATE_PERIODS,
            datapoints_to_alarm=FAILED_RATE_PERIODS,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        alarms = (self.preprocessing_alarm, self.failed_execution_alarm)
        for alarm in alarms:
            alarm.add_alarm_action(cw_actions.SnsAction(self.topic))
            alarm.add_ok_action(cw_actions.SnsAction(self.topic))
        self._let_alarms_publish(alarms)

        self.dashboard = cw.Dashboard(
            self,
            "Dashboard",
            dashboard_name=f"{Stack.of(self).stack_name}-assistant",
            default_interval=Duration.hours(3),
        )
        self.dashboard.add_widgets(*self._rows(state_machine, functions, branch_functions, http_api, failed_rate))

    def _let_alarms_publish(self, alarms: tuple[cw.Alarm, ...]) -> None:
        """A topic policy replaces SNS's default one, so `enforce_ssl`'s deny alone leaves CloudWatch unable to
        publish: allow exactly these alarms of this account (the confused-deputy conditions AWS recommends)."""
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowTheAssistantAlarmsToPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "StringEquals": {"aws:SourceAccount": Stack.of(self).account},
                    "ArnLike": {"aws:SourceArn": [alarm.alarm_arn for alarm in alarms]},
                },
            )
        )

    def _rows(
        self,
        state_machine: sfn.StateMachine,
        functions: Mapping[str, lambda_.IFunction],
        branch_functions: Mapping[str, lambda_.IFunction],
        http_api: apigwv2.HttpApi,
        failed_rate: cw.MathExpression,
    ) -> list[cw.IWidget]:
        half, third = 12, 8
        threshold = cw.HorizontalAnnotation(value=PREPROCESSING_THRESHOLD_MS, label="alarm threshold")
        return [
            cw.AlarmStatusWidget(
                title="Alarms", alarms=[self.preprocessing_alarm, self.failed_execution_alarm], width=24, height=3
            ),
            cw.GraphWidget(
                title="Ack latency (webhook → 200), ms",
                left=[assistant_metric(ACK_LATENCY, stat) for stat in ("p50", "p90", "p99")],
                right=[http_api.metric_latency(statistic="p90", period=DASHBOARD_PERIOD, label="API Gateway p90")],
                width=half,
            ),
            cw.GraphWidget(
                title="Pre-processing time (received → model call), ms",
                left=[assistant_metric(PREPROCESSING_TIME, stat) for stat in ("p50", "p90")],
                left_annotations=[threshold],
                width=half,
            ),
            cw.GraphWidget(
                title="Branch duration p90 (runtime metric), ms",
                left=[
                    assistant_metric(BRANCH_DURATION, "p90", dimensions={BRANCH_DIMENSION: branch})
                    for branch in BRANCHES
                ],
                width=third,
            ),
            cw.GraphWidget(
                title="Branch function duration p90 (Lambda), ms",
                left=[
                    fn.metric_duration(statistic="p90", period=DASHBOARD_PERIOD, label=branch)
                    for branch, fn in branch_functions.items()
                ],
                width=third,
            ),
            cw.GraphWidget(
                title="Degraded branches (count)",
                left=[assistant_metric(DEGRADED_BRANCHES, "Sum")],
                width=third,
            ),
            cw.GraphWidget(
                title="Executions",
                left=[
                    state_machine.metric_started(statistic="Sum", period=DASHBOARD_PERIOD, label="started"),
                    state_machine.metric_succeeded(statistic="Sum", period=DASHBOARD_PERIOD, label="succeeded"),
                    state_machine.metric_failed(statistic="Sum", period=DASHBOARD_PERIOD, label="failed"),
                    state_machine.metric_timed_out(statistic="Sum", period=DASHBOARD_PERIOD, label="timed out"),
                ],
                right=[failed_rate],
                width=third,
            ),
            cw.GraphWidget(
                title="Model tokens",
                left=[assistant_metric(MODEL_TOKENS, "Sum")],
                width=third,
            ),
            cw.GraphWidget(
                title="Function errors",
                left=[
                    fn.metric_errors(statistic="Sum", period=DASHBOARD_PERIOD, label=name)
                    for name, fn in functions.items()
                ],
                width=third,
            ),
        ]
