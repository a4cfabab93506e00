"""Every ``python -m`` tool outside the collector ends a failure with one clear line on stderr,
never a traceback (run as real subprocesses, stdin from a pipe as in a script or CI job)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli_errors import CliError, OneLineParser, run_cli

REPO = Path(__file__).resolve().parents[2]
HASH = ["-m", "app.security.hash_password"]


def run(args: list[str], stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        input=stdin,  # a pipe, never the terminal
        capture_output=True,
        timeout=timeout,
        env=env,
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_hash_password_without_stdin_flag_fed_from_a_pipe():
    result = run([*HASH, "alice"], stdin=b"a long enough password\n")
    assert result.returncode == 2 and result.stdout == b""
    line = one_line(result)
    assert line.startswith("python -m app.security.hash_password: error: ")
    assert "--stdin" in line and "not a terminal" in line


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["alice", "--stdin"], b"short\n", "at least 12 characters"),
        (["alice", "--stdin"], b"", "at least 12 characters"),
        (["alice", "--stdin"], b"\xff\xfe not utf-8 at all", "not UTF-8"),
        (["al:ice", "--stdin"], b"a long enough password\n", "User names must"),
        ([], b"", "required: username"),
        (["alice", "--method", "md5"], b"", "invalid choice: 'md5'"),
    ],
    ids=["short", "empty", "not-utf8", "bad-user", "no-user", "bad-method"],
)
def test_hash_password_errors_are_one_line(args, stdin, expected):
    result = run([*HASH, *args], stdin=stdin)
    assert result.returncode == 2
    line = one_line(result)
    assert expected in line and line.startswith("python -m app.security.hash_password: error: ")


def test_hash_password_from_a_pipe_with_stdin_flag_works():
    result = run([*HASH, "alice", "--stdin"], stdin=b"a long enough password\n")
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.decode().startswith("alice:scrypt:")


def test_engine_cli_errors_are_one_line(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = run(["-m", "app.engine", "example", str(tmp_path), str(blocked / "target")])
    assert result.returncode == 1
    assert "python -m app.engine: error: " in one_line(result)
    usage = run(["-m", "app.engine"])
    assert usage.returncode == 2 and "required: command" in one_line(usage)


def test_sample_cli_errors_are_one_line(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = run(["-m", "sample", "--out", str(blocked / "out")])
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("python -m sample: error: ") and "out" in line
    usage = run(["-m", "sample", "--scale", "huge"])
    assert usage.returncode == 2 and "invalid choice: 'huge'" in one_line(usage)


def test_bench_usage_error_is_one_line():
    result = run(["-m", "bench", "--no-such-option"])
    assert result.returncode == 2 and "unrecognized arguments" in one_line(result)


# --- the helpers themselves (in process) ------------------------------------------------------
def test_run_cli_turns_each_failure_into_one_line(capsys, tmp_path):
    def missing() -> int:
        (tmp_path / "nope" / "x").read_text()
        return 0

    assert run_cli("tool", missing) == 1
    assert capsys.readouterr().err.strip().endswith("nope/x: No such file or directory")

    def known() -> int:
        raise CliError("the thing is wrong\nacross lines", exit_code=3)

    assert run_cli("tool", known) == 3
    assert capsys.readouterr().err == "tool: error: the thing is wrong across lines\n"

    def interrupted() -> int:
        raise KeyboardInterrupt

    assert run_cli("tool", interrupted) == 130
    assert capsys.readouterr().err == "tool: interrupted\n"

    def bug() -> int:
        raise TypeError("unsupported operand")

    assert run_cli("tool", bug) == 1
    assert capsys.readouterr().err == "tool: error: unexpected TypeError: unsupported operand\n"


def test_one_line_parser_error(capsys):
    parser = OneLineParser(prog="tool")
    parser.add_argument("--n", type=int)
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["--n", "x"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err == "tool: error: argument --n: invalid int value: 'x' (see tool --help)\n"
