"""moto's standalone S3 server, started as a real subprocess on a free loopback port.

Tests talk to it over HTTP with an unpatched boto3, exactly as the app talks to AWS: the only
difference is ``AWS_ENDPOINT_URL`` and fake credentials. Each test gets its own bucket so tests
never see each other's objects.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.net import free_port, wait_for_http

FAKE_ACCESS_KEY = "AKIAFAKEFAKEFAKE0000"
FAKE_SECRET_KEY = "fake-secret-key-for-moto-only"
REGION = "eu-west-2"
_bucket_counter = itertools.count(1)


@dataclass(frozen=True)
class S3Server:
    """A running moto server: its endpoint and the environment code under test should get."""

    endpoint_url: str
    process: subprocess.Popen

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point boto3 (and app Settings) at this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }

    def client(self):
        """A plain boto3 S3 client for test set-up and inspection."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=FAKE_ACCESS_KEY,
            aws_secret_access_key=FAKE_SECRET_KEY,
        )

    def new_bucket(self, prefix: str = "history") -> str:
        """Create a fresh, uniquely named bucket and return its name."""
        name = f"{prefix}-{os.getpid()}-{next(_bucket_counter)}"
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        return name


def start_s3_server(log_path: Path | None = None) -> S3Server:
    """Start ``moto_server`` on a free port and wait until it answers."""
    port = free_port()
    exe = Path(sys.executable).with_name("moto_server")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "moto.server"]
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{endpoint}/moto-api/", timeout=30.0, process=process)
    except Exception:
        process.kill()
        process.wait()
        raise
    return S3Server(endpoint_url=endpoint, process=process)


def stop_s3_server(server: S3Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One moto S3 server for the whole test session."""
    server = start_s3_server()
    try:
        yield server
    finally:
        stop_s3_server(server)


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A fresh empty bucket on the session's moto server."""
    return s3_server.new_bucket()
