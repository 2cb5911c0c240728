"""Storage: an on-demand state table with TTL and PITR, and a private, encrypted, SSL-only media bucket."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk.assertions import Match

from office_assistant.adapters.state_table import TABLE_SCHEMA

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def _table(synthesised: Synthesised) -> dict[str, Any]:
    properties: dict[str, Any] = synthesised.resources[synthesised.logical_id(synthesised.stack.storage.table)][
        "Properties"
    ]
    return properties


def _media_bucket(synthesised: Synthesised) -> dict[str, Any]:
    properties: dict[str, Any] = synthesised.resources[synthesised.logical_id(synthesised.stack.storage.media)][
        "Properties"
    ]
    return properties


def test_state_table_is_on_demand_with_the_adapters_key(synthesised: Synthesised) -> None:
    table = _table(synthesised)

    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == TABLE_SCHEMA.key_schema
    assert table["AttributeDefinitions"] == TABLE_SCHEMA.attribute_definitions


def test_state_table_expires_items_on_the_adapters_ttl_attribute(synthesised: Synthesised) -> None:
    table = _table(synthesised)

    assert table["TimeToLiveSpecification"] == {"AttributeName": TABLE_SCHEMA.ttl_attribute, "Enabled": True}


def test_state_table_has_point_in_time_recovery_and_is_kept_on_stack_deletion(synthesised: Synthesised) -> None:
    logical_id = synthesised.logical_id(synthesised.stack.storage.table)

    table = synthesised.resources[logical_id]

    assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


def test_media_bucket_is_encrypted_and_blocks_all_public_access(synthesised: Synthesised) -> None:
    bucket = _media_bucket(synthesised)

    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]

    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }


def test_media_bucket_expires_objects_and_abandoned_uploads(synthesised: Synthesised) -> None:
    rules = _media_bucket(synthesised)["LifecycleConfiguration"]["Rules"]

    enabled = [rule for rule in rules if rule["Status"] == "Enabled"]

    assert any(rule.get("ExpirationInDays", 0) > 0 for rule in enabled)
    assert any(rule.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation", 0) > 0 for rule in enabled)


def test_media_bucket_deletes_workflow_data_held_by_reference_after_a_day(synthesised: Synthesised) -> None:
    rules = _media_bucket(synthesised)["LifecycleConfiguration"]["Rules"]

    [claims] = [rule for rule in rules if rule.get("Prefix") == "workflow/"]

    assert claims["Status"] == "Enabled"
    assert claims["ExpirationInDays"] == 1


def test_media_bucket_refuses_requests_without_tls(synthesised: Synthesised) -> None:
    bucket = synthesised.logical_id(synthesised.stack.storage.media)

    synthesised.template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Action": "s3:*",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                                "Principal": {"AWS": "*"},
                            }
                        )
                    ]
                )
            },
        },
    )


def test_media_bucket_logs_access_to_a_private_bucket(synthesised: Synthesised) -> None:
    logs_bucket = synthesised.logical_id(synthesised.stack.storage.access_logs)

    logging = _media_bucket(synthesised)["LoggingConfiguration"]
    target = synthesised.resources[logs_bucket]["Properties"]

    assert logging["DestinationBucketName"] == {"Ref": logs_bucket}
    assert target["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    assert target["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] > 0
