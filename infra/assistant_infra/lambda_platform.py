"""The one Lambda platform every function and the layer target: Python runtime, CPU architecture, wheel tags."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_

RUNTIME = lambda_.Runtime.PYTHON_3_13
"""Newest Python runtime the layer's dependencies allow: aws-cdk-lib 2.275 knows python3.14, but
semantic-router 1.1.1 declares Requires-Python <3.14."""

ARCHITECTURE = lambda_.Architecture.ARM_64

PIP_PLATFORMS: tuple[str, ...] = ("manylinux2014_aarch64", "manylinux_2_28_aarch64", "manylinux_2_34_aarch64")
"""Wheel platform tags pip may pick for the layer: manylinux2014 (glibc 2.17) up to glibc 2.34, the Amazon Linux
2023 base of the python3.12+ runtimes. pip takes `--platform` tags as given, without the glibc versions between
them, so each tag in use is listed: tiktoken's cp313 wheels, for one, are manylinux_2_28 only."""

LAMBDA_UNZIPPED_LIMIT_BYTES = 262_144_000
"""Lambda's limit on a function's unzipped code plus all its layers (250 MB)."""


def python_version() -> str:
    """`RUNTIME` as pip's --python-version wants it, e.g. "3.13"."""
    return RUNTIME.name.removeprefix("python")
