"""The one factory for every Lambda function: the five workflow tasks, the webhook and the email source, all from
`workflow/tasks.py`.

Each function gets its own role, log group, sizing, and exactly the permissions and environment variables its
entry in `access.ACCESS` names. Nothing here repeats a name the runtime also uses: handlers, folders, env var names
and metric names are imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import Annotations, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_lambda_powertools.shared.constants import METRICS_NAMESPACE_ENV, PARAMETERS_MAX_AGE_ENV
from cdk_nag import NagPackSuppression, NagSuppressions, RegexAppliesTo
from constructs import Construct

from assistant_infra.access import ACCESS, Access
from assistant_infra.email_source import EMAIL_FUNCTION_TIMEOUT
from assistant_infra.lambda_platform import ARCHITECTURE, RUNTIME
from assistant_infra.runtime_env import DEPLOYED_ADAPTERS
from assistant_infra.secrets import SECRETS_BY_KEY
from assistant_infra.sizing import MEMORY_MB
from office_assistant.metric_names import NAMESPACE
from office_assistant.services.claim_check import CLAIM_PREFIX
from office_assistant.settings import ENV_VARS, LAMBDA_PROCESS_ENV
from office_assistant.workflow.tasks import FUNCTIONS_DIR, TASKS, WEBHOOK

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_secretsmanager as secretsmanager
    from aws_cdk import aws_stepfunctions as sfn

    from office_assistant.workflow.tasks import LambdaTask

LOG_RETENTION = logs.RetentionDays.ONE_MONTH
SECRET_CACHE_SECONDS = 300  # Powertools Parameters keeps a secret this long in a warm container
SNAP_START_CONTEXT_KEY = "snapStart"  # `-c snapStart=off` where SnapStart is unavailable (docs/deploy.md)
LIVE_ALIAS = "live"
_PII_STAR_REASON = " PII detection: comprehend:DetectPiiEntities has no resource type either."


@dataclass(frozen=True)
class Sizing:
    """Memory and timeout of one function; timeout None means the Task state's TimeoutSeconds in the ASL."""

    memory_mb: int
    timeout: Duration | None = None


# Memory from measurement (sizing.py: the rehearsal's cold-start CPU time and peak RSS, each function's budget).
SIZING: dict[str, Sizing] = {
    # Slack wants its 200 within 3 s, a cold start included; API Gateway allows 30 s.
    "webhook": Sizing(MEMORY_MB["webhook"], timeout=Duration.seconds(10)),
    # semantic-router's import and building the routes are CPU-bound.
    "route": Sizing(MEMORY_MB["route"]),
    # Weaviate's client import (CPU) before the lookups (network) of a cold start.
    "history": Sizing(MEMORY_MB["history"]),
    "relevance": Sizing(MEMORY_MB["relevance"]),
    "auxiliary": Sizing(MEMORY_MB["auxiliary"]),
    # The email source's batches (see email_source.py). Not measured by the rehearsal (it replays Slack and
    # Telegram deliveries only); a queue consumer that only claims and starts executions, with no one waiting.
    "email": Sizing(512, timeout=EMAIL_FUNCTION_TIMEOUT),
    # Model call, summarising, posting: mostly waiting once warm; the cold imports (openai, numpy, sumy) are CPU.
    "respond": Sizing(MEMORY_MB["respond"]),
}


SNAP_START: frozenset[str] = frozenset({WEBHOOK.name, *(task.name for task in TASKS)})
"""Every function of a message's path gets SnapStart (the Python 3.12+ runtimes support it): a cold start becomes
a restore of the snapshot taken after init, where each handler has built its service (`office_assistant.snapstart`).
Cost and the `-c snapStart=off` switch: docs/deploy.md."""


@dataclass(frozen=True)
class Resources:
    """What a function may be granted access to (see `access.Access`)."""

    table: dynamodb.ITable
    bucket: s3.IBucket
    secrets: Mapping[str, secretsmanager.ISecret]
    state_machine: sfn.IStateMachine | None = None


class AssistantFunction(Construct):
    """One function of the assistant: code folder + shared layer, own role and log group, scoped access.

    `invoke_arn` (and `target`, the same as an IFunction) is what a caller should invoke: the `live` alias when
    SnapStart is on (SnapStart only applies to published versions), the function itself otherwise.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        task: LambdaTask,
        layer: lambda_.ILayerVersion,
        resources: Resources,
        timeout: Duration | None = None,
        extra_environment: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.task = task
        access = ACCESS[task.name]
        sizing = SIZING[task.name]
        timeout = sizing.timeout or timeout
        if timeout is None:
            raise ValueError(f"no timeout for {task.name}: give one in SIZING or in the ASL")

        self.log_group = logs.LogGroup(self, "Logs", retention=LOG_RETENTION)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"office-assistant {task.name} function",
        )
        self.log_group.grant_write(self.role)

        environment = {
            **LAMBDA_PROCESS_ENV,
            **{ENV_VARS[field]: value for field, value in DEPLOYED_ADAPTERS.items()},
            METRICS_NAMESPACE_ENV: NAMESPACE,
            PARAMETERS_MAX_AGE_ENV: str(SECRET_CACHE_SECONDS),
            **self._grant(access, resources),
            **(extra_environment or {}),
        }
        snap_start = task.name in SNAP_START and self.node.try_get_context(SNAP_START_CONTEXT_KEY) != "off"
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"office-assistant {task.name}: {task.import_path}",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=task.handler,
            code=lambda_.Code.from_asset(str(FUNCTIONS_DIR / task.folder), exclude=["__pycache__", "*.pyc"]),
            layers=[layer],
            memory_size=sizing.memory_mb,
            timeout=timeout,
            role=self.role,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            environment=environment,
            snap_start=lambda_.SnapStartConf.ON_PUBLISHED_VERSIONS if snap_start else None,
            # Each published version keeps a cached snapshot (billed for Python): drop a version once the alias
            # has moved on, instead of CDK's default of keeping every version forever.
            current_version_options=lambda_.VersionOptions(removal_policy=RemovalPolicy.DESTROY)
            if snap_start
            else None,
        )
        self.alias: lambda_.Alias | None = None
        if snap_start:
            self.alias = lambda_.Alias(self, "Live", alias_name=LIVE_ALIAS, version=self.function.current_version)
            Annotations.of(self.function).acknowledge_warning(
                "@aws-cdk/aws-lambda:snapStartRequirePublish",
                "current_version publishes a version on every change and the workflow invokes the live alias",
            )
        self.target: lambda_.IFunction = self.alias or self.function
        self.invoke_arn: str = self.target.function_arn
        self._suppress_findings(access)

    def _grant(self, access: Access, resources: Resources) -> dict[str, str]:
        """Add exactly the statements `access` names; return the env vars that point at the granted resources."""
        environment: dict[str, str] = {}
        if access.table_actions:
            self.role.add_to_policy(
                iam.PolicyStatement(actions=list(access.table_actions), resources=[resources.table.table_arn])
            )
            environment[ENV_VARS["state_table"]] = resources.table.table_name
        if access.bucket_actions:
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(access.bucket_actions), resources=[resources.bucket.arn_for_objects("*")]
                )
            )
            environment[ENV_VARS["media_bucket"]] = resources.bucket.bucket_name
        if access.writes_claims:
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=["s3:PutObject"], resources=[resources.bucket.arn_for_objects(f"{CLAIM_PREFIX}*")]
                )
            )
            environment[ENV_VARS["media_bucket"]] = resources.bucket.bucket_name
        if access.lists_bucket_prefixes:
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=["s3:ListBucket"],
                    resources=[resources.bucket.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{p}*" for p in access.lists_bucket_prefixes]}},
                )
            )
        if access.secrets:
            secrets = [resources.secrets[key] for key in access.secrets]
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn for secret in secrets]
                )
            )
            for key, secret in zip(access.secrets, secrets, strict=True):
                environment[SECRETS_BY_KEY[key].env_var] = secret.secret_arn
        if access.detects_pii:
            # DetectPiiEntities has no resource type: IAM accepts only "*" for it.
            self.role.add_to_policy(iam.PolicyStatement(actions=["comprehend:DetectPiiEntities"], resources=["*"]))
        if access.starts_workflow:
            if resources.state_machine is None:
                raise ValueError(f"{self.task.name} starts the workflow but no state machine was given")
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=["states:StartExecution"], resources=[resources.state_machine.state_machine_arn]
                )
            )
            environment[ENV_VARS["state_machine_arn"]] = resources.state_machine.state_machine_arn
        return environment

    def _suppress_findings(self, access: Access) -> None:
        wildcard_reasons = [
            NagPackSuppression(
                id="AwsSolutions-IAM5",
                applies_to=["Resource::*"],
                reason="X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource "
                "narrower than '*'." + (_PII_STAR_REASON if access.detects_pii else ""),
            )
        ]
        if access.writes_claims:
            wildcard_reasons.append(
                NagPackSuppression(
                    id="AwsSolutions-IAM5",
                    applies_to=[RegexAppliesTo(regex=r"/^Resource::<.*MediaBucket.*\.Arn>\/workflow\/\*$/")],
                    reason="Claim checks: workflow data too large for the state machine is written under the "
                    "media bucket's workflow/ prefix, whose objects are named per message at run time.",
                )
            )
        if access.bucket_actions:
            wildcard_reasons.append(
                NagPackSuppression(
                    id="AwsSolutions-IAM5",
                    applies_to=[RegexAppliesTo(regex=r"/^Resource::<.*MediaBucket.*\.Arn>\/\*$/")],
                    reason="Object-level S3 actions need an object ARN pattern; it is limited to this stack's "
                    "media bucket, and the actions to the ones this function uses.",
                )
            )
        NagSuppressions.add_resource_suppressions(self.role, wildcard_reasons, apply_to_children=True)
        NagSuppressions.add_resource_suppressions(
            self.function,
            [
                NagPackSuppression(
                    id="AwsSolutions-L1",
                    reason=f"{RUNTIME.name} is the newest runtime the layer supports: semantic-router 1.1.1 "
                    "requires Python <3.14, so python3.14 would fail to install it.",
                )
            ],
        )
