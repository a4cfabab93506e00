"""Fixtures every integration module may use without importing them (so no re-definitions)."""

from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from tests.support.net import free_port
from tests.support.s3_server import s3_bucket, s3_server  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """An in-process moto server (S3, Secrets Manager...) for one module; its endpoint URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
