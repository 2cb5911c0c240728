"""Dashboard, the two alarms (pre-processing latency, failed executions) and the SNS topic they notify."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from office_assistant.metric_names import ALL_METRICS, BRANCH_DIMENSION, BRANCHES, NAMESPACE, PREPROCESSING_TIME

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def _alarm(synthesised: Synthesised, construct: Any) -> dict[str, Any]:
    properties: dict[str, Any] = synthesised.resources[synthesised.logical_id(construct)]["Properties"]
    return properties


def _single_metric(alarm: dict[str, Any]) -> dict[str, Any]:
    """Namespace, MetricName, Stat, Period and Dimensions of a one-metric alarm, in either form CloudWatch takes."""
    if "Metrics" not in alarm:
        return {key: alarm.get(key) for key in ("Namespace", "MetricName", "ExtendedStatistic", "Period", "Dimensions")}
    (query,) = alarm["Metrics"]
    stat = query["MetricStat"]
    return {**stat["Metric"], "ExtendedStatistic": stat["Stat"], "Period": stat["Period"]}


def _dashboard_body(synthesised: Synthesised) -> str:
    dashboards = synthesised.of_type("AWS::CloudWatch::Dashboard")
    assert len(dashboards) == 1
    return json.dumps(next(iter(dashboards.values()))["Properties"]["DashboardBody"])


def test_there_are_exactly_three_alarms_and_all_notify_the_topic_on_alarm_and_ok(synthesised: Synthesised) -> None:
    topic = {"Ref": synthesised.logical_id(synthesised.stack.observability.topic)}

    alarms = synthesised.of_type("AWS::CloudWatch::Alarm")

    assert len(alarms) == 3  # preprocessing latency, failed executions, the email dead-letter queue
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [topic]
        assert alarm["Properties"]["OKActions"] == [topic]


def test_preprocessing_alarm_fires_above_3000_ms_for_2_of_2_periods(synthesised: Synthesised) -> None:
    alarm = _alarm(synthesised, synthesised.stack.observability.preprocessing_alarm)

    metric = _single_metric(alarm)

    assert metric["Namespace"] == NAMESPACE
    assert metric["MetricName"] == PREPROCESSING_TIME
    assert metric["ExtendedStatistic"] == "p90"
    assert not metric.get("Dimensions")  # the runtime emits PreprocessingTime without dimensions
    assert alarm["Threshold"] == 3000
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["EvaluationPeriods"] == 2
    assert alarm["DatapointsToAlarm"] == 2
    assert alarm["TreatMissingData"] == "notBreaching"


def test_failed_execution_alarm_watches_the_rate_of_failed_and_timed_out_executions(
    synthesised: Synthesised,
) -> None:
    state_machine = {"Ref": synthesised.logical_id(synthesised.stack.workflow.state_machine)}

    alarm = _alarm(synthesised, synthesised.stack.observability.failed_execution_alarm)
    queries = alarm["Metrics"]
    expression = next(query["Expression"] for query in queries if "Expression" in query)
    watched = {
        query["MetricStat"]["Metric"]["MetricName"]: query["MetricStat"]["Metric"]["Dimensions"]
        for query in queries
        if "MetricStat" in query
    }

    assert set(watched) == {"ExecutionsStarted", "ExecutionsFailed", "ExecutionsTimedOut"}
    assert all(dimensions == [{"Name": "StateMachineArn", "Value": state_machine}] for dimensions in watched.values())
    assert "failed" in expression and "timedOut" in expression and "started" in expression
    assert alarm["Threshold"] > 0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_dashboard_shows_every_runtime_metric_and_each_branch(synthesised: Synthesised) -> None:
    body = _dashboard_body(synthesised)

    missing = [name for name in ALL_METRICS if f'\\"{name}\\"' not in body]

    assert missing == []
    assert f'\\"{NAMESPACE}\\"' in body
    for branch in BRANCHES:
        assert f'\\"{BRANCH_DIMENSION}\\",\\"{branch}\\"' in body


def test_dashboard_shows_execution_failures_and_the_alarm_threshold(synthesised: Synthesised) -> None:
    body = _dashboard_body(synthesised)

    assert "ExecutionsFailed" in body
    assert "ExecutionsTimedOut" in body
    assert '\\"value\\":3000' in body


def test_alarm_topic_accepts_only_tls_publishers(synthesised: Synthesised) -> None:
    topic = synthesised.logical_id(synthesised.stack.observability.topic)

    policies = [
        policy
        for policy in synthesised.of_type("AWS::SNS::TopicPolicy").values()
        if {"Ref": topic} in policy["Properties"]["Topics"]
    ]
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]

    assert any(
        statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in statements
    )
