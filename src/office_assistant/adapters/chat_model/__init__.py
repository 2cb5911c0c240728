"""Chat model port adapters: one OpenAI-compatible adapter for OpenAI and the local llama.cpp server alike."""

from __future__ import annotations

from office_assistant.adapters.chat_model.openai_compatible import OpenAiCompatibleChatModel, build_openai_client

__all__ = ["OpenAiCompatibleChatModel", "build_openai_client"]
