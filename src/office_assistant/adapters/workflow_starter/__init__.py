"""Workflow starter port adapters: start one workflow execution per inbound message."""

from __future__ import annotations

from office_assistant.adapters.workflow_starter.stepfunctions import StepFunctionsStarter, valid_execution_name

__all__ = ["StepFunctionsStarter", "valid_execution_name"]
