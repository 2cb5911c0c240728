"""Storage: the DynamoDB state table (chat state, dedupe and idempotency claims) and the private S3 media bucket.

The table's key and TTL attribute come from the adapter's `TABLE_SCHEMA`, the same value the local setup builds
its table from. Both keep their data when the stack is deleted (RemovalPolicy.RETAIN).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from office_assistant.adapters.state_table import TABLE_SCHEMA
from office_assistant.services.claim_check import CLAIM_PREFIX

CLAIM_EXPIRY = Duration.days(1)  # workflow data by reference (raw text of redacted chats): S3's shortest expiry
MEDIA_EXPIRY = Duration.days(30)  # presigned URLs live at most 7 days; the media is a cache, not an archive
ACCESS_LOG_EXPIRY = Duration.days(90)

# DynamoDB's attribute type letters (as CreateTable takes them) → CDK's enum.
_ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}


class Storage(Construct):
    """State table, media bucket, and the bucket that receives the media bucket's access logs."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.Table(
            self,
            "StateTable",
            partition_key=dynamodb.Attribute(
                name=TABLE_SCHEMA.partition_key,
                type=_ATTRIBUTE_TYPES[TABLE_SCHEMA.partition_key_type],
            ),
            billing_mode=dynamodb.BillingMode(TABLE_SCHEMA.billing_mode),
            time_to_live_attribute=TABLE_SCHEMA.ttl_attribute,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.RETAIN,
        )

        self.access_logs = s3.Bucket(
            self,
            "AccessLogsBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(id="expire-access-logs", expiration=ACCESS_LOG_EXPIRY)],
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.media = s3.Bucket(
            self,
            "MediaBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            # cdk-nag's S1 counts a bucket that receives another bucket's access logs as logged: no loop needed.
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="media/",
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-workflow-data", prefix=CLAIM_PREFIX, expiration=CLAIM_EXPIRY),
                s3.LifecycleRule(
                    id="expire-media",
                    expiration=MEDIA_EXPIRY,
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
            ],
            removal_policy=RemovalPolicy.RETAIN,
        )
