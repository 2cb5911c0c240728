"""CDK app: the AssistantStack, checked by cdk-nag's AwsSolutions pack on every synth.

Run by the CDK CLI through cdk.json (`python infra/app.py`). Context flags (`-c key=value`):
  bundling=skip               layer stub instead of the pip-built layer (template checks only; never deploy it)
  snapStart=off               no SnapStart on any function (regions without it; docs/deploy.md)
  alarmEmail=ops@example.com  subscribe an address to the alarm topic
  slackBotUserId=U0123…  telegramBotUsername=my_bot   non-secret webhook settings
  pii=all|chats  piiChats=slack:C0123,telegram:-1004  PII redaction in route and respond (off by default)
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from assistant_infra import AssistantStack
from cdk_nag import AwsSolutionsChecks

STACK_NAME = "OfficeAssistant"


def build_app(context: dict[str, Any] | None = None, outdir: str | None = None) -> cdk.App:
    """The app with its one stack and the cdk-nag aspect; the CLI passes context itself, tests pass it here."""
    app = cdk.App(context=context, outdir=outdir)
    AssistantStack(app, STACK_NAME)
    cdk.Aspects.of(app).add(AwsSolutionsChecks(reports=True, verbose=True))
    return app


if __name__ == "__main__":
    build_app().synth()
