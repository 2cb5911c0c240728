"""AssistantStack: the whole assistant in one stack, wired from the parts in this package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import CfnOutput, Stack
from cdk_nag import NagPackSuppression, NagSuppressions

from assistant_infra.email_source import EmailSource
from assistant_infra.functions import AssistantFunction, Resources
from assistant_infra.layer import LAYER_GROUPS, SharedLayer, layer_group_for
from assistant_infra.observability import Observability
from assistant_infra.secrets import SECRETS, AssistantSecrets
from assistant_infra.storage import Storage
from assistant_infra.webhook_api import SLACK_EVENTS_PATH, TELEGRAM_WEBHOOK_PATH, WebhookApi
from assistant_infra.workflow import Workflow, lambda_timeout, parallel_branches, task_timeouts
from office_assistant.settings import ENV_VARS
from office_assistant.workflow.tasks import EMAIL, TASKS, WEBHOOK

if TYPE_CHECKING:
    from constructs import Construct

# Non-secret webhook settings, given at deploy time: `cdk deploy -c slackBotUserId=U0123 -c telegramBotUsername=x`.
WEBHOOK_CONTEXT_SETTINGS: dict[str, str] = {
    "slackBotUserId": "slack_bot_user_id",
    "telegramBotUsername": "telegram_bot_username",
}
# PII redaction, for the functions that redact (route, and respond for a message whose Route step failed):
# `cdk deploy -c pii=chats -c piiChats=slack:C0123,telegram:-10042` (or `-c pii=all`). Off by default.
PII_CONTEXT_SETTINGS: dict[str, str] = {"pii": "pii", "piiChats": "pii_chats"}
PII_FUNCTIONS = frozenset({"route", "respond"})
# The Slack channel that gets the answers to emails: `cdk deploy -c emailSlackChannel=C0123`; the email function
# keys its messages by it and Respond posts there.
EMAIL_CONTEXT_SETTINGS: dict[str, str] = {"emailSlackChannel": "email_slack_channel"}
EMAIL_CHANNEL_FUNCTIONS = frozenset({"respond", EMAIL.name})


def _construct_id(name: str) -> str:
    return name.capitalize() + "Function"


class AssistantStack(Stack):
    """HTTP API → webhook function → Express workflow (route, parallel context, respond), the email queue →
    email function → the same workflow, with storage, secrets, dashboard and alarms."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, description="office-assistant: Slack/Telegram assistant", **kwargs)
        self.storage = storage = Storage(self, "Storage")
        self.secrets = secrets = AssistantSecrets(self, "Secrets")
        layers = {
            group.name: SharedLayer(self, group.name.capitalize() + "Layer", group).layer for group in LAYER_GROUPS
        }
        resources = Resources(table=storage.table, bucket=storage.media, secrets=secrets.by_key)

        timeouts = task_timeouts()
        self.functions: dict[str, AssistantFunction] = {
            task.name: AssistantFunction(
                self,
                _construct_id(task.name),
                task=task,
                layer=layers[layer_group_for(task.name).name],
                resources=resources,
                timeout=lambda_timeout(timeouts[task.placeholder]),
                extra_environment=self._task_environment(task.name),
            )
            for task in TASKS
        }
        self.workflow = Workflow(
            self, "Workflow", task_arns={task.placeholder: self.functions[task.name].invoke_arn for task in TASKS}
        )
        # The two functions that start executions: the webhook (Slack, Telegram) and the email source (SQS).
        starting = Resources(
            table=storage.table, bucket=storage.media, secrets=secrets.by_key, state_machine=self.workflow.state_machine
        )
        for source, environment in (
            (WEBHOOK, self._context_settings(WEBHOOK_CONTEXT_SETTINGS)),
            (EMAIL, self._task_environment(EMAIL.name)),
        ):
            self.functions[source.name] = AssistantFunction(
                self,
                _construct_id(source.name),
                task=source,
                layer=layers[layer_group_for(source.name).name],
                resources=starting,
                extra_environment=environment,
            )
        self.api = WebhookApi(self, "WebhookApi", handler=self.functions[WEBHOOK.name].target)

        by_placeholder = {task.placeholder: self.functions[task.name].function for task in TASKS}
        self.observability = Observability(
            self,
            "Observability",
            state_machine=self.workflow.state_machine,
            functions={name: built.function for name, built in self.functions.items()},
            branch_functions={branch: by_placeholder[ph] for branch, ph in parallel_branches().items()},
            http_api=self.api.http_api,
        )

        self.email_source = EmailSource(
            self, "EmailSource", function=self.functions[EMAIL.name].function, alarm_topic=self.observability.topic
        )

        NagSuppressions.add_resource_suppressions(
            list(secrets.by_key.values()),
            [
                NagPackSuppression(
                    id="AwsSolutions-SMG4",
                    reason="Third-party credentials (Slack, Telegram, OpenAI, Weaviate, Odoo) are issued by those "
                    "services; Secrets Manager cannot rotate them. Rotate them at the issuer and put the new value.",
                )
            ],
        )
        self._outputs(secrets)

    def _task_environment(self, name: str) -> dict[str, str]:
        """Deploy-time settings of one function (PII for the redacting ones, the email channel)."""
        environment: dict[str, str] = {}
        if name in PII_FUNCTIONS:
            environment |= self._context_settings(PII_CONTEXT_SETTINGS)
        if name in EMAIL_CHANNEL_FUNCTIONS:
            environment |= self._context_settings(EMAIL_CONTEXT_SETTINGS)
        return environment

    def _context_settings(self, settings: dict[str, str]) -> dict[str, str]:
        """Environment values from `cdk deploy -c key=value` flags (context key -> settings field)."""
        environment: dict[str, str] = {}
        for context_key, field in settings.items():
            value = self.node.try_get_context(context_key)
            if value:
                environment[ENV_VARS[field]] = str(value)
        return environment

    def _outputs(self, secrets: AssistantSecrets) -> None:
        CfnOutput(self, "WebhookBaseUrl", value=self.api.url, description="Base URL of the webhook API")
        CfnOutput(
            self,
            "SlackEventsUrl",
            value=self.api.url_for(SLACK_EVENTS_PATH),
            description="Slack app → Event Subscriptions → Request URL",
        )
        CfnOutput(
            self,
            "TelegramWebhookUrl",
            value=self.api.url_for(TELEGRAM_WEBHOOK_PATH),
            description="url for Telegram's setWebhook",
        )
        CfnOutput(self, "StateMachineArn", value=self.workflow.state_machine.state_machine_arn)
        CfnOutput(
            self,
            "EmailQueueUrl",
            value=self.email_source.queue.queue_url,
            description='the mail feed sends each email here as {"payload": {"event": {...}}}',
        )
        CfnOutput(self, "AlarmTopicArn", value=self.observability.topic.topic_arn)
        CfnOutput(self, "DashboardName", value=self.observability.dashboard.dashboard_name)
        for spec in SECRETS:
            CfnOutput(
                self,
                "Secret" + "".join(part.capitalize() for part in spec.slug.split("-")),
                value=secrets.by_key[spec.key].secret_name,
                description=spec.description,
            )
