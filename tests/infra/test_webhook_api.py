"""The HTTP API: the two webhook routes to the webhook function, logged and throttled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant_infra.webhook_api import WEBHOOK_PATHS

from office_assistant.workflow.tasks import FUNCTIONS_DIR, WEBHOOK

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def test_api_has_exactly_the_two_webhook_routes(synthesised: Synthesised) -> None:
    routes = synthesised.of_type("AWS::ApiGatewayV2::Route")

    keys = sorted(route["Properties"]["RouteKey"] for route in routes.values())

    assert keys == ["POST /slack/events", "POST /telegram/webhook"]


def _webhook_target(synthesised: Synthesised) -> dict[str, Any]:
    """How the template refers to what API Gateway invokes: the webhook's live alias (SnapStart) or the function."""
    built = synthesised.stack.functions[WEBHOOK.name]
    if built.alias is not None:
        return {"Ref": synthesised.logical_id(built.alias)}
    return {"Fn::GetAtt": [synthesised.logical_id(built.function), "Arn"]}


def test_every_route_integrates_with_the_webhook_function(synthesised: Synthesised) -> None:
    integrations = synthesised.of_type("AWS::ApiGatewayV2::Integration")

    targets = {
        route["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
        for route in synthesised.of_type("AWS::ApiGatewayV2::Route").values()
    }

    assert len(targets) == 1
    (integration,) = (integrations[target]["Properties"] for target in targets)
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == _webhook_target(synthesised)
    assert integration["PayloadFormatVersion"] == "2.0"


def test_api_gateway_may_invoke_the_webhook_only_through_these_routes(synthesised: Synthesised) -> None:
    webhook = _webhook_target(synthesised)

    permissions = [
        permission["Properties"]
        for permission in synthesised.of_type("AWS::Lambda::Permission").values()
        if permission["Properties"]["FunctionName"] == webhook
    ]

    assert len(permissions) == len(WEBHOOK_PATHS)
    for permission in permissions:
        assert permission["Principal"] == "apigateway.amazonaws.com"
        source = str(permission["SourceArn"])
        assert any(path in source for path in WEBHOOK_PATHS)


def test_default_stage_deploys_automatically_logs_access_and_throttles(synthesised: Synthesised) -> None:
    (stage,) = (stage["Properties"] for stage in synthesised.of_type("AWS::ApiGatewayV2::Stage").values())

    log_group = synthesised.resources[stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]]

    assert stage["StageName"] == "$default"
    assert stage["AutoDeploy"] is True
    assert "$context.requestId" in stage["AccessLogSettings"]["Format"]
    assert log_group["Properties"]["RetentionInDays"] > 0
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0


def test_access_logs_record_no_headers_or_bodies(synthesised: Synthesised) -> None:
    (stage,) = (stage["Properties"] for stage in synthesised.of_type("AWS::ApiGatewayV2::Stage").values())

    log_format = stage["AccessLogSettings"]["Format"]

    assert "header" not in log_format.lower()
    assert "body" not in log_format.lower()


def test_api_paths_are_the_routes_the_webhook_handler_serves() -> None:
    source = (FUNCTIONS_DIR / WEBHOOK.folder / f"{WEBHOOK.module}.py").read_text(encoding="utf-8")

    missing = [path for path in WEBHOOK_PATHS if f'@app.post("{path}")' not in source]

    assert missing == []
