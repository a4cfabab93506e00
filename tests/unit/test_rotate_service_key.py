"""scripts/rotate-service-key.sh against stand-in ``cf``, ``gh`` and ``copilot-collect``.

The stand-ins are one small Python program under three names, first on ``PATH``. Each call is
appended to a JSON-lines log (its argv; its stdin for ``gh``; the credentials it was given for
``copilot-collect``), and ``FAKE_FAIL`` makes a chosen step fail, so every test can assert both
what the script did and, above all, that it never deleted a key after a failure and never put a
secret on a command line or in its output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.deploy_files import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "rotate-service-key.sh"
SERVICE = "copilot-history-staging"
KEY = "copilot-outside"
ENVIRONMENT = "staging"
BUCKET = "cg-0123abcd-bucket"
REGION = "us-gov-west-1"
NEW_KEY_ID = "AKIANEWKEY0000000001"
# Shell metacharacters on purpose: the value must travel as data, never be evaluated.
NEW_SECRET = "nEw/Secret+Value$(touch pwned)'\"`id`=="
SECRET_NAMES = ["S3_BUCKET", "S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
OLD_KEYS = [KEY, f"{KEY}-20250101T000000Z"]
UNRELATED = ["someone-elses-key", f"{KEY}-manual"]
NEW_NAME = re.compile(rf"^{re.escape(KEY)}-\d{{8}}T\d{{6}}Z$")

STAND_IN = r"""
import json, os, sys
from pathlib import Path

tool = Path(sys.argv[0]).name
args = sys.argv[1:]
record = {"tool": tool, "argv": args}
fail = set(filter(None, os.environ.get("FAKE_FAIL", "").split(",")))


def done(code=0):
    with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
    sys.exit(code)


if tool == "cf":
    command = args[0] if args else ""
    if f"cf:{command}" in fail or any(f"cf:{command}:{arg}" in fail for arg in args):
        print(f"FAILED: {command}", file=sys.stderr)
        done(1)
    if command == "service-keys":
        keys = [k for k in os.environ.get("FAKE_CF_KEYS", "").split(",") if k]
        print(f"Getting keys for service instance {args[1]} as ops@example.com...\n")
        if keys:
            width = max(map(len, keys)) + 3  # cf pads the column to its longest name
            print(f"{'name':<{width}}last operation     message")
            for key in keys:
                print(f"{key:<{width}}create succeeded")
        else:
            print(f"No service keys for service instance {args[1]}")
    elif command == "service-key":
        credentials = {
            "bucket_name": "cg-0123abcd-bucket",
            "aws_region": "us-gov-west-1",
            "aws_access_key_id": "AKIANEWKEY0000000001",
            "aws_secret_access_key": os.environ["FAKE_SECRET"],
            "deploy_env": "staging",
        }
        form = os.environ.get("FAKE_CF_KEY_OUTPUT", "wrapped")
        print(f"Getting key {args[2]} for service instance {args[1]} as ops@example.com...\n")
        if form == "wrapped":
            print(json.dumps({"credentials": credentials}, indent=2))
        elif form == "bare":
            print(json.dumps(credentials, indent=2))
        elif form == "no-secret":
            del credentials["aws_secret_access_key"]
            print(json.dumps({"credentials": credentials}, indent=2))
        else:
            print("this is not JSON " + os.environ["FAKE_SECRET"])
    else:
        print("OK")
    done(0)

if tool == "gh":
    record["stdin"] = sys.stdin.read()
    if args[:2] == ["secret", "set"] and f"gh:{args[2]}" in fail:
        print(f"failed to set secret {args[2]!r}: HTTP 403", file=sys.stderr)
        done(1)
    done(0)

# copilot-collect
record["env"] = {
    name: os.environ.get(name)
    for name in (
        "HISTORY_STORE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
        "AWS_REGION", "AWS_PROFILE", "AWS_SESSION_TOKEN", "VCAP_SERVICES",
    )
}
counter = Path(os.environ["FAKE_LOG"]).with_suffix(".checks")
count = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(count + 1))
if "check" in fail or count < int(os.environ.get("FAKE_CHECK_FAILURES", "0")):
    print("history-store: InvalidAccessKeyId")
    done(1)
print("history-store: ok")
done(0)
"""


@pytest.fixture
def stand_ins(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = f"#!{sys.executable}\n{STAND_IN}"
    for name in ("cf", "gh", "copilot-collect"):
        path = bin_dir / name
        path.write_text(program, encoding="utf-8")
        path.chmod(0o755)
    return bin_dir


def run(tmp_path: Path, bin_dir: Path, *args: str, keys=(*OLD_KEYS, *UNRELATED), **env: str):
    log = tmp_path / "calls.jsonl"
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FAKE_", "ROTATE_", "CF_")) and k != "COPILOT_COLLECT"
    }
    environ.update(
        PATH=f"{bin_dir}{os.pathsep}{environ.get('PATH', '')}",
        FAKE_LOG=str(log),
        FAKE_SECRET=NEW_SECRET,
        FAKE_CF_KEYS=",".join(keys),
        ROTATE_CHECK_DELAY="0",
        # What an operator's shell might hold: the check must not see any of it.
        VCAP_SERVICES='{"aws-s3-bucket": [{"credentials": {"bucket_name": "other"}}]}',
        AWS_PROFILE="someone-else",
        AWS_SESSION_TOKEN="an-old-session-token",
    )
    environ.update(env)
    result = subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, calls


def rotate(tmp_path: Path, bin_dir: Path, **env: str):
    return run(tmp_path, bin_dir, SERVICE, KEY, ENVIRONMENT, **env)


def step(call: dict) -> str:
    if call["tool"] == "cf":
        return f"cf {call['argv'][0]}"
    if call["tool"] == "gh":
        return f"gh {call['argv'][2]}"
    return "check"


def assert_no_secret_leaked(result, calls, tmp_path: Path) -> None:
    for call in calls:
        for arg in call["argv"]:
            assert NEW_SECRET not in arg and NEW_KEY_ID not in arg, f"secret on argv: {step(call)}"
    assert NEW_SECRET not in result.stdout + result.stderr
    assert NEW_KEY_ID not in result.stdout + result.stderr
    assert not (tmp_path / "pwned").exists(), "the secret's text was evaluated by a shell"


def created_name(calls: list[dict]) -> str:
    (create,) = [c for c in calls if step(c) == "cf create-service-key"]
    return create["argv"][2]


def test_happy_path_creates_checks_stores_then_deletes_the_old_keys(tmp_path, stand_ins):
    result, calls = rotate(tmp_path, stand_ins)

    assert result.returncode == 0, result.stderr
    assert [step(c) for c in calls] == [
        "cf service-keys",
        "cf create-service-key",
        "cf service-key",
        "check",
        *(f"gh {name}" for name in SECRET_NAMES),
        "cf delete-service-key",
        "cf delete-service-key",
    ]
    new = created_name(calls)
    assert NEW_NAME.match(new)
    create = calls[1]["argv"]
    assert create[:3] == ["create-service-key", SERVICE, new]
    assert json.loads(create[create.index("-c") + 1]) == {"allow_external_access": True}
    assert calls[2]["argv"] == ["service-key", SERVICE, new]

    check = calls[3]
    assert check["argv"] == ["check", "--component", "history-store"]
    assert check["env"] == {
        "HISTORY_STORE": f"s3://{BUCKET}/copilot-history",
        "AWS_ACCESS_KEY_ID": NEW_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": NEW_SECRET,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_PROFILE": None,
        "AWS_SESSION_TOKEN": None,
        "VCAP_SERVICES": None,
    }

    expected = dict(zip(SECRET_NAMES, [BUCKET, REGION, NEW_KEY_ID, NEW_SECRET], strict=True))
    for call in calls[4:8]:
        name = call["argv"][2]
        assert call["argv"] == ["secret", "set", name, "--env", ENVIRONMENT]  # no --body
        assert call["stdin"] == expected[name]

    deleted = [c["argv"] for c in calls[8:]]
    assert sorted(a[a.index(SERVICE) + 1] for a in deleted) == sorted(OLD_KEYS)
    assert all("-f" in a for a in deleted)
    assert new not in {a[-1] for a in deleted} | {a[-2] for a in deleted}
    assert "someone-elses-key" in result.stdout and f"{KEY}-manual" in result.stdout
    assert_no_secret_leaked(result, calls, tmp_path)


def test_reads_a_key_printed_without_the_credentials_wrapper(tmp_path, stand_ins):
    result, calls = rotate(tmp_path, stand_ins, FAKE_CF_KEY_OUTPUT="bare")
    assert result.returncode == 0, result.stderr
    assert [c["stdin"] for c in calls if c["tool"] == "gh"][-1] == NEW_SECRET


def test_no_existing_key_creates_one_and_deletes_nothing(tmp_path, stand_ins):
    result, calls = run(tmp_path, stand_ins, SERVICE, KEY, ENVIRONMENT, keys=())
    assert result.returncode == 0, result.stderr
    assert "cf delete-service-key" not in [step(c) for c in calls]
    assert [step(c) for c in calls][-1] == "gh AWS_SECRET_ACCESS_KEY"


@pytest.mark.parametrize(
    ("fail", "last_step", "new_key_left", "secrets_changed"),
    [
        ("cf:service-keys", "cf service-keys", False, False),
        ("cf:create-service-key", "cf create-service-key", False, False),
        ("cf:service-key", "cf service-key", True, False),
        ("check", "check", True, False),
        ("gh:S3_BUCKET", "gh S3_BUCKET", True, False),
        ("gh:S3_REGION", "gh S3_REGION", True, True),
        ("gh:AWS_ACCESS_KEY_ID", "gh AWS_ACCESS_KEY_ID", True, True),
        ("gh:AWS_SECRET_ACCESS_KEY", "gh AWS_SECRET_ACCESS_KEY", True, True),
    ],
)
def test_a_failing_step_stops_before_any_key_is_deleted(
    tmp_path, stand_ins, fail, last_step, new_key_left, secrets_changed
):
    result, calls = rotate(tmp_path, stand_ins, FAKE_FAIL=fail, ROTATE_CHECK_ATTEMPTS="2")

    assert result.returncode == 1, result.stderr
    steps = [step(c) for c in calls]
    assert "cf delete-service-key" not in steps
    assert steps[-1] == last_step  # nothing was attempted after the failing step
    assert "FAILED at step" in result.stderr
    assert "no service key was deleted" in result.stderr
    if fail != "cf:service-keys":  # once the keys are known, the report names the kept ones
        assert all(old in result.stderr for old in OLD_KEYS)
    if new_key_left:
        assert created_name(calls) in result.stderr
    if secrets_changed:
        assert "NOT updated" in result.stderr
    else:
        assert "no secret was changed" in result.stderr
    assert_no_secret_leaked(result, calls, tmp_path)


def test_an_unverified_key_never_reaches_github(tmp_path, stand_ins):
    result, calls = rotate(tmp_path, stand_ins, FAKE_FAIL="check", ROTATE_CHECK_ATTEMPTS="3")
    assert result.returncode == 1
    assert [step(c) for c in calls].count("check") == 3
    assert not [c for c in calls if c["tool"] == "gh"]
    assert "NOT verified" in result.stderr


@pytest.mark.parametrize("form", ["no-secret", "garbage"])
def test_unreadable_credentials_stop_the_rotation_without_printing_them(tmp_path, stand_ins, form):
    result, calls = rotate(tmp_path, stand_ins, FAKE_CF_KEY_OUTPUT=form)
    assert result.returncode == 1
    assert [step(c) for c in calls][-1] == "cf service-key"
    assert "read key" in result.stderr
    if form == "no-secret":
        assert "aws_secret_access_key" in result.stderr  # the missing field's name, not a value
    assert_no_secret_leaked(result, calls, tmp_path)


def test_the_check_is_retried_until_the_new_key_works(tmp_path, stand_ins):
    result, calls = rotate(tmp_path, stand_ins, FAKE_CHECK_FAILURES="2", ROTATE_CHECK_ATTEMPTS="3")
    assert result.returncode == 0, result.stderr
    steps = [step(c) for c in calls]
    assert steps.count("check") == 3
    assert steps.index("gh S3_BUCKET") > max(i for i, s in enumerate(steps) if s == "check")
    assert steps[-2:] == ["cf delete-service-key", "cf delete-service-key"]
    assert "check 1/3 failed" in result.stderr


def test_a_failed_delete_is_reported_and_the_others_still_go(tmp_path, stand_ins):
    result, calls = rotate(tmp_path, stand_ins, FAKE_FAIL=f"cf:delete-service-key:{KEY}")
    assert result.returncode == 1
    assert f"deleted the old key {OLD_KEYS[1]}" in result.stdout
    assert f"{KEY} could not be deleted" in result.stderr


def test_the_check_command_can_be_several_words(tmp_path, stand_ins):
    (stand_ins / "copilot-collect").rename(stand_ins / "collect-stand-in")
    result, calls = rotate(
        tmp_path, stand_ins, COPILOT_COLLECT=f"{sys.executable} {stand_ins / 'collect-stand-in'}"
    )
    assert result.returncode == 0, result.stderr
    assert [c["argv"] for c in calls if c["tool"] == "collect-stand-in"] == [
        ["check", "--component", "history-store"]
    ]


@pytest.mark.parametrize(
    "args",
    [(), (SERVICE,), (SERVICE, KEY), (SERVICE, KEY, ENVIRONMENT, "extra"), (SERVICE, "", "x")],
    ids=["none", "one", "two", "four", "empty-key-name"],
)
def test_wrong_arguments_print_the_usage_and_exit_2(tmp_path, stand_ins, args):
    result, calls = run(tmp_path, stand_ins, *args)
    assert result.returncode == 2
    assert "usage:" in result.stderr or "KEY_NAME" in result.stderr
    assert calls == []


def test_help_exits_0(tmp_path, stand_ins):
    result, calls = run(tmp_path, stand_ins, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout
    assert calls == []


@pytest.mark.parametrize("missing", ["cf", "gh", "copilot-collect"])
def test_a_missing_tool_changes_nothing_and_exits_2(tmp_path, stand_ins, missing):
    (stand_ins / missing).unlink()
    # Keep the rest of PATH, minus any directory holding a real copy of the missing tool.
    path = os.pathsep.join(
        d
        for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not (Path(d) / missing).exists()
    )
    result, calls = rotate(tmp_path, stand_ins, PATH=f"{stand_ins}{os.pathsep}{path}")
    assert result.returncode == 2
    assert f"'{missing}' is not on PATH" in result.stderr
    assert calls == []


def test_shellcheck_passes():
    shellcheck = shutil.which("shellcheck")
    if not shellcheck:
        pytest.skip("shellcheck is not installed (`make system-tools` installs Debian's)")
    result = subprocess.run([shellcheck, str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
