"""The CDK constructs of the office assistant: one stack built from storage, secrets, layer, functions, workflow,
webhook API and observability."""

from assistant_infra.stack import AssistantStack

__all__ = ["AssistantStack"]
