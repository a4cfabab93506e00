"""Fixtures every integration module may use without importing them (so no re-definitions)."""

from tests.support.s3_server import s3_bucket, s3_server  # noqa: F401 - fixtures
