"""The rehearsal: the synthesized functions in their own processes, real messages through the real ASL.

Slack and Telegram deliveries go to the webhook function's process as API Gateway events; its StartExecution
(boto3, pointed by AWS_ENDPOINT_URL_SFN at a recorder) hands the execution input over, and the local engine runs
statemachine/assistant.asl.json with each Task sent to its function's process through the Runtime API. Every
function is invoked at least twice (cold, then warm). Anything a deploy would show as broken fails the run with
the function's own error: an init error (a module the layer lacks or only the dev venv has), a function error
(an environment variable the template forgot), a degraded branch, a reply never posted.
"""

from __future__ import annotations

import json
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from office_assistant.settings import ENV_VARS
from office_assistant.workflow.definition import load_local
from office_assistant.workflow.payloads import RespondOutput
from office_assistant.workflow.tasks import TASKS, WEBHOOK
from office_assistant_local.aws import moto_server
from office_assistant_local.engine.runner import run_state_machine
from office_assistant_local.platform_requests import SlackSender, TelegramSender
from office_assistant_local.rehearsal.aws_resources import create_resources, json_secret
from office_assistant_local.rehearsal.process import FunctionProcess, Sandbox
from office_assistant_local.rehearsal.runtime_api import InitError
from office_assistant_local.rehearsal.template_env import UnresolvedValueError, function_environment
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.google_search import GoogleSearchLoopback
from office_assistant_local.standins.odoo import OdooLoopback
from office_assistant_local.standins.recorder import RecordedRequest, RecordingServer, Reply
from office_assistant_local.standins.slack import SlackLoopback
from office_assistant_local.standins.telegram import TelegramLoopback

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from office_assistant_local.rehearsal.artifacts import Artifacts
    from office_assistant_local.rehearsal.runtime_api import Invocation

SIGNING_SECRET = "rehearsal-slack-signing-secret"
TELEGRAM_SECRET = "rehearsal-telegram-secret-token"
SLACK_CHANNEL = "C0REHEARSE"
SLACK_USER = "U0REHEARSE"
TELEGRAM_CHAT = {"id": 5151, "type": "private", "first_name": "Rehearsal"}
TELEGRAM_USER = {"id": 5151, "is_bot": False, "first_name": "Rehearsal"}
MESSAGES = (
    ("slack", "Good morning! Can you summarise what we agreed about the Bluebird budget?"),
    ("telegram", "Please draft a short note inviting the team to lunch on Friday."),
    ("slack", "Thanks! And what is on the agenda for tomorrow?"),
)


class RehearsalError(RuntimeError):
    """What failed, said as a deployer needs to read it (function, error type, message, the log's tail)."""


class StartExecutionRecorder(RecordingServer):
    """Step Functions' StartExecution for the webhook's boto3 client: records the input, starts nothing."""

    def handle(self, request: RecordedRequest) -> Reply:
        if request.headers.get("x-amz-target") != "AWSStepFunctions.StartExecution":
            return Reply(400, {"__type": "UnknownOperationException"})
        name = request.body.get("name") or uuid.uuid4().hex
        arn = f"{request.body['stateMachineArn'].replace(':stateMachine:', ':execution:')}:{name}"
        return Reply(200, {"executionArn": arn, "startDate": 0})

    def started(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.headers.get("x-amz-target") == "AWSStepFunctions.StartExecution"]


@dataclass
class FunctionReport:
    """Wall times as Lambda's REPORT line gives them; CPU times, which do not depend on how busy this machine is."""

    init_ms: float | None = None
    invocations: list[float] = field(default_factory=list)
    rss_mb: float | None = None
    init_cpu_ms: float | None = None
    cpu_after: list[float] = field(default_factory=list)  # the process's CPU time after each invocation
    memory_mb: int = 0
    timeout_s: float = 0

    def as_json(self) -> dict[str, Any]:
        first_cpu = self.cpu_after[0] - self.init_cpu_ms if self.cpu_after and self.init_cpu_ms is not None else None
        return {
            "init_ms": _round(self.init_ms),
            "first_invoke_ms": _round(self.invocations[0] if self.invocations else None),
            "warm_invoke_ms": _round(self.invocations[1] if len(self.invocations) > 1 else None),
            "rss_mb": self.rss_mb,
            "init_cpu_ms": _round(self.init_cpu_ms),
            "first_invoke_cpu_ms": _round(first_cpu),
            "memory_mb": self.memory_mb,
            "timeout_s": self.timeout_s,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class RehearsalResult:
    functions: dict[str, FunctionReport]
    status: str
    reply_posted: bool
    failures: list[str]
    layer_mb: dict[str, float]
    timeout_scale: float = 1.0

    def as_json(self) -> dict[str, Any]:
        return {
            "functions": {name: report.as_json() for name, report in self.functions.items()},
            "execution": {"status": self.status, "reply_posted": self.reply_posted},
            "failures": self.failures,
            "layers_unzipped_mb_x86_64": self.layer_mb,
            "timeout_scale": self.timeout_scale,
        }


def scaled_definition(definition: dict[str, Any], scale: float) -> dict[str, Any]:
    """The ASL with every TimeoutSeconds multiplied by `scale` (1: unchanged), for a machine busier than Lambda."""
    if scale == 1:
        return definition

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (int(round(value * scale)) if key == "TimeoutSeconds" else walk(value))
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    scaled: dict[str, Any] = walk(definition)
    return scaled


def _remote_error(function: str, error: dict[str, Any]) -> Exception:
    """An exception named as the function's errorType, so the ASL's Retry/Catch see what AWS would report."""
    error_type = str(error.get("errorType") or "Exception")
    named: type[Exception] = type(error_type, (Exception,), {})
    return named(f"{function}: {error.get('errorMessage', '')}")


class Rehearsal:
    def __init__(
        self, artifacts: Artifacts, log_dir: Path, say: Callable[[str], None] = print, timeout_scale: float = 1.0
    ) -> None:
        self.artifacts = artifacts
        self.timeout_scale = timeout_scale
        self.log_dir = log_dir
        self.say = say
        self.reports: dict[str, FunctionReport] = {}
        self.processes: dict[str, FunctionProcess] = {}
        self.failures: list[str] = []

    def sandboxes(self, resolved: dict[str, str], endpoints: dict[str, str]) -> dict[str, Sandbox]:
        sandboxes = {}
        for name, artifact in self.artifacts.functions.items():
            try:
                environment = function_environment(artifact.environment, resolved, name)
            except UnresolvedValueError as error:
                raise RehearsalError(str(error)) from error
            sandboxes[name] = Sandbox(
                name=name,
                handler=artifact.handler,
                code_dir=artifact.code_dir,
                layer_dir=self.artifacts.layers[artifact.layer],
                runtime_dir=self.artifacts.runtime_dir,
                interpreter=self.artifacts.interpreter,
                environment={**environment, **endpoints},
                memory_mb=artifact.memory_mb,
                timeout_s=artifact.timeout_s * self.timeout_scale,
            )
        return sandboxes

    def start(self, sandbox: Sandbox) -> FunctionProcess:
        process = FunctionProcess(sandbox, self.log_dir / f"{sandbox.name}.log")
        report = self.reports.setdefault(
            sandbox.name, FunctionReport(memory_mb=sandbox.memory_mb, timeout_s=sandbox.timeout_s)
        )
        try:
            init_ms = process.start()
        except InitError as error:
            process.stop()
            raise RehearsalError(
                f"{sandbox.name} failed to initialise: {error}\n--- its log ---\n{process.log_tail()}"
            ) from error
        except TimeoutError as error:
            process.stop()
            raise RehearsalError(f"{sandbox.name}: {error}\n--- its log ---\n{process.log_tail()}") from error
        if report.init_ms is None:
            report.init_ms, report.init_cpu_ms = init_ms, process.cpu_ms
        self.processes[sandbox.name] = process
        return process

    def invoke(self, name: str, event: Any) -> Invocation:
        process = self.processes[name]
        report = self.reports[name]
        if not process.alive:  # timed out before: Lambda starts a fresh environment (a cold start, not measured)
            self.say(f"  {name}: a new environment after the timeout …")
            process = self.start(process.sandbox)
        rss = process.rss_mb
        invocation = process.invoke(event)
        report.invocations.append(invocation.duration_ms)
        report.rss_mb = max(filter(None, (report.rss_mb, rss, process.rss_mb)), default=None)
        if invocation.cpu_ms is not None and len(report.cpu_after) < len(report.invocations):
            report.cpu_after.append(invocation.cpu_ms)
        if invocation.error:
            self.failures.append(
                f"{name}: {invocation.error.get('errorType')}: {invocation.error.get('errorMessage')}\n"
                f"--- its log ---\n{process.log_tail()}"
            )
        return invocation

    def handler(self, name: str) -> Callable[[Any, Any], Any]:
        def forward(event: Any, _context: Any) -> Any:
            invocation = self.invoke(name, event)
            if invocation.error:
                raise _remote_error(name, invocation.error)
            return invocation.result

        return forward

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()


def run_rehearsal(
    artifacts: Artifacts, say: Callable[[str], None] = print, timeout_scale: float = 1.0
) -> RehearsalResult:
    """Run MESSAGES through the stack's functions; `timeout_scale` multiplies every Lambda and state timeout."""
    with ExitStack() as stack:
        log_dir = artifacts.log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        endpoint_url = stack.enter_context(moto_server())
        slack = stack.enter_context(SlackLoopback())
        telegram = stack.enter_context(TelegramLoopback())
        odoo = stack.enter_context(OdooLoopback())
        chat = stack.enter_context(ChatCompletionsLoopback())
        google = stack.enter_context(GoogleSearchLoopback())
        sfn = stack.enter_context(StartExecutionRecorder())
        from office_assistant_local.standins.weaviate import WeaviateLoopback  # grpc: only when rehearsing

        weaviate = stack.enter_context(WeaviateLoopback())
        secret_values = {
            "OfficeAssistant/slack-signing-secret": SIGNING_SECRET,
            "OfficeAssistant/slack-bot-token": slack.token,
            "OfficeAssistant/telegram-bot-token": telegram.token,
            "OfficeAssistant/telegram-webhook-secret": TELEGRAM_SECRET,
            "OfficeAssistant/openai-api-key": "sk-rehearsal",
            "OfficeAssistant/weaviate": json_secret(
                url=weaviate.url, api_key="", grpc_url=f"http://127.0.0.1:{weaviate.grpc_port}"
            ),
            "OfficeAssistant/odoo": json_secret(url=odoo.url, db=odoo.db, login=odoo.login, password=odoo.password),
            "OfficeAssistant/google-search": json_secret(api_key=google.api_key, engine_id=google.engine_id),
        }
        resolved = create_resources(artifacts.template, endpoint_url, secret_values)
        # The only variables added to the template's: where the stand-ins are (all of them are "AWS" or a URL).
        endpoints = {
            "AWS_ENDPOINT_URL": endpoint_url,
            "AWS_ENDPOINT_URL_SFN": sfn.url,
            ENV_VARS["slack_api_url"]: slack.api_url,
            ENV_VARS["telegram_api_url"]: telegram.url,
            ENV_VARS["openai_base_url"]: chat.base_url,
            ENV_VARS["google_search_api_url"]: google.url,
        }
        rehearsal = Rehearsal(artifacts, log_dir, say, timeout_scale)
        stack.callback(rehearsal.stop)
        sandboxes = rehearsal.sandboxes(resolved, endpoints)
        status, replies_expected = "NOT_STARTED", 0
        try:
            for name in (WEBHOOK.name, *(task.name for task in TASKS)):
                say(f"  starting {name} …")
                rehearsal.start(sandboxes[name])
            status, replies_expected = _play(rehearsal, sfn, say)
        except RehearsalError as error:
            rehearsal.failures.append(str(error))
        posted = len(slack.posted()) + len(telegram.sent())
        reply_posted = replies_expected > 0 and posted >= replies_expected
        if status == "SUCCEEDED" and not reply_posted:
            rehearsal.failures.append(f"{posted} replies posted for {replies_expected} messages")
        return RehearsalResult(
            rehearsal.reports, status, reply_posted, rehearsal.failures, _layer_sizes(artifacts), timeout_scale
        )


def _play(rehearsal: Rehearsal, sfn: StartExecutionRecorder, say: Callable[[str], None]) -> tuple[str, int]:
    slack_sender, telegram_sender = SlackSender(SIGNING_SECRET), TelegramSender(TELEGRAM_SECRET)
    handlers = {task.name: rehearsal.handler(task.name) for task in TASKS}
    definition = scaled_definition(load_local(), rehearsal.timeout_scale)
    statuses: list[str] = []
    for platform, text in MESSAGES:
        if platform == "slack":
            event, _ = slack_sender.message_event(SLACK_CHANNEL, SLACK_USER, text)
        else:
            event, _ = telegram_sender.message_update(TELEGRAM_CHAT, TELEGRAM_USER, text)
        before = len(sfn.started())
        answer = rehearsal.invoke(WEBHOOK.name, event)
        if answer.error or not isinstance(answer.result, dict) or answer.result.get("statusCode") != 200:
            raise RehearsalError(f"webhook answered {answer.result or answer.error}")
        started = sfn.started()[before:]
        if len(started) != 1:
            raise RehearsalError(f"the webhook started {len(started)} executions for one {platform} message")
        limit = 30 + definition["TimeoutSeconds"]
        result = run_state_machine(definition, handlers, json.loads(started[0]["input"]), timeout_s=limit)
        statuses.append(result.status)
        if result.status != "SUCCEEDED" or result.output is None:
            rehearsal.failures.append(f"execution {result.status}: {result.error}: {result.cause}")
            continue
        output = RespondOutput.model_validate(result.output)
        if output.degraded_branches:
            rehearsal.failures.append(f"degraded branches: {output.degraded_branches} (see the errors above)")
        say(f"  {platform}: {result.status}, route {output.route}, replied {output.replied}")
    status = "SUCCEEDED" if statuses and all(s == "SUCCEEDED" for s in statuses) else (statuses or ["FAILED"])[-1]
    return status, len(MESSAGES)


def _layer_sizes(artifacts: Artifacts) -> dict[str, float]:
    from office_assistant_local.rehearsal.artifacts import tree_size

    return {name: round(tree_size(path) / 1e6, 1) for name, path in artifacts.layers.items()}
