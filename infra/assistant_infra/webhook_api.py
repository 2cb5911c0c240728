"""The HTTP API in front of the webhook function: the two webhook routes, access logs, throttling.

The routes carry no API Gateway authoriser on purpose: Slack and Telegram cannot send AWS credentials or tokens of
ours, so the function authenticates every request itself (Slack's request signature, Telegram's secret token).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import jsii
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_lambda as lambda_

SLACK_EVENTS_PATH = "/slack/events"
TELEGRAM_WEBHOOK_PATH = "/telegram/webhook"
WEBHOOK_PATHS: tuple[str, ...] = (SLACK_EVENTS_PATH, TELEGRAM_WEBHOOK_PATH)
"""Must match the routes of functions/ingest/webhook.py (a test checks they do)."""

ACCESS_LOG_RETENTION = logs.RetentionDays.ONE_MONTH
THROTTLE_RATE_PER_S = 50  # far above a team's chat traffic; caps what a flood of forged requests can cost
THROTTLE_BURST = 100

# HTTP API context variables only: no headers, no bodies (signatures and secret tokens travel in headers).
_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "sourceIp": "$context.identity.sourceIp",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
}


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogSettings:
    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)
        self._format = apigateway.AccessLogFormat.custom(json.dumps(_ACCESS_LOG_FIELDS))

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat:
        return self._format


class WebhookApi(Construct):
    """`POST /slack/events` and `POST /telegram/webhook` → the webhook function, on the `$default` stage."""

    def __init__(self, scope: Construct, construct_id: str, *, handler: lambda_.IFunction) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = logs.LogGroup(self, "AccessLogs", retention=ACCESS_LOG_RETENTION)
        self.http_api = apigwv2.HttpApi(
            self,
            "HttpApi",
            description="office-assistant: Slack and Telegram webhooks",
            create_default_stage=False,
        )
        self.stage = apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            access_log_settings=_AccessLogSettings(self.access_logs),
            throttle=apigwv2.ThrottleSettings(rate_limit=THROTTLE_RATE_PER_S, burst_limit=THROTTLE_BURST),
        )
        integration = HttpLambdaIntegration("Webhook", handler)
        for path in WEBHOOK_PATHS:
            self.http_api.add_routes(path=path, methods=[apigwv2.HttpMethod.POST], integration=integration)
        NagSuppressions.add_resource_suppressions(
            self.http_api,
            [
                NagPackSuppression(
                    id="AwsSolutions-APIG4",
                    reason="Public webhooks for Slack and Telegram, which cannot present AWS credentials or an "
                    "authoriser token; the function verifies each request (Slack signing secret, Telegram "
                    "secret token) and answers 4xx to anything else.",
                )
            ],
            apply_to_children=True,
        )

    @property
    def url(self) -> str:
        """Base URL of the API (ends with '/')."""
        return self.stage.url

    def url_for(self, path: str) -> str:
        return self.stage.url + path.lstrip("/")
