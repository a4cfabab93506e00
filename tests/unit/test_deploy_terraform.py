"""The Terraform parses and keeps the least-privilege and data-safety rules."""

from __future__ import annotations

import fnmatch
import re

import pytest

from tests.support.deploy_files import TERRAFORM_DIR, load_terraform, policy_actions

WRITE_PATTERNS = ["s3:Put*", "s3:Delete*", "s3:Restore*", "s3:Replicate*", "s3:Abort*"]
# Concrete actions a wildcard grant ("s3:*", "*", "s3:Delete*") would also give.
WRITE_EXAMPLES = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy"]


@pytest.fixture(scope="module")
def tf() -> dict:
    return load_terraform()


def _matches(action: str, patterns: list[str], examples: list[str]) -> bool:
    """True when ``action`` is one of ``patterns`` or, being a wildcard, grants an example."""
    action = action.lower()
    if any(fnmatch.fnmatch(action, p.lower()) for p in patterns):
        return True
    return "*" in action and any(fnmatch.fnmatch(e.lower(), action) for e in examples)


def test_aws_provider_is_pinned(tf):
    providers = {}
    for block in tf["terraform"]:
        for entry in block.get("required_providers", []):
            providers.update(entry)
    aws = providers["aws"]
    assert aws["source"] == "hashicorp/aws"
    assert re.match(r"^(~>|=)\s*\d+\.\d+", aws["version"]), aws["version"]


def test_every_variable_has_a_description_and_a_type(tf):
    for name, body in tf["variable"].items():
        assert body.get("description"), f"variable {name} has no description"
        assert body.get("type"), f"variable {name} has no type"


def test_tfvars_example_sets_every_required_variable_and_nothing_unknown(tf):
    import hcl2

    with (TERRAFORM_DIR / "terraform.tfvars.example").open(encoding="utf-8") as handle:
        example = hcl2.load(handle)
    keys = {k for k in example if not k.startswith("__")}
    required = {name for name, body in tf["variable"].items() if "default" not in body}
    assert required <= keys, f"terraform.tfvars.example lacks {required - keys}"
    assert keys <= set(tf["variable"]), f"unknown variables: {keys - set(tf['variable'])}"


def test_dashboard_task_role_only_reads(tf):
    actions = policy_actions(tf["data"]["aws_iam_policy_document"]["dashboard_task"])
    assert {"s3:GetObject", "s3:ListBucket"} <= actions
    assert actions <= {
        "s3:GetObject",
        "s3:ListBucket",
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
    }
    writes = sorted(a for a in actions if _matches(a, WRITE_PATTERNS, WRITE_EXAMPLES))
    assert not writes, f"the dashboard may not write or delete history: {writes}"


def test_collector_role_writes_but_never_deletes(tf):
    actions = policy_actions(tf["data"]["aws_iam_policy_document"]["collector"])
    assert {
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "secretsmanager:GetSecretValue",
    } <= actions
    deletes = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"]
    assert not [a for a in actions if _matches(a, ["s3:Delete*", "s3:PutLifecycle*"], deletes)]
    assert not [a for a in actions if "*" in a], f"no wildcard actions: {actions}"


def test_history_resources_are_scoped_to_the_bucket_and_prefix(tf):
    for role in ("dashboard_task", "collector"):
        document = tf["data"]["aws_iam_policy_document"][role]
        for statement in document.get("statement", []):
            for resource in statement.get("resources", []):
                assert resource != "*", f"{role}: unscoped resource"
            if "s3:GetObject" in statement.get("actions", []):
                assert all("var.history_prefix" in r for r in statement["resources"])


def test_bucket_is_versioned_encrypted_private_and_never_expires_current_versions(tf):
    res = tf["resource"]
    bucket = res["aws_s3_bucket"]["history"]
    assert bucket["lifecycle"][0]["prevent_destroy"] is True
    versioning = res["aws_s3_bucket_versioning"]["history"]
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    sse = res["aws_s3_bucket_server_side_encryption_configuration"]["history"]
    algorithm = sse["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"]
    assert "aws:kms" in algorithm and "AES256" in algorithm
    block = res["aws_s3_bucket_public_access_block"]["history"]
    for flag in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert block[flag] is True, flag
    for rule in res["aws_s3_bucket_lifecycle_configuration"]["history"]["rule"]:
        assert "expiration" not in rule, "current versions must never expire"
        assert "noncurrent_version_expiration" in rule


def test_secret_value_is_never_in_terraform(tf):
    assert "aws_secretsmanager_secret" in tf["resource"]
    assert "aws_secretsmanager_secret_version" not in tf["resource"], (
        "the key's value is set out of band so it never lands in state"
    )


def test_collector_lambda_runs_the_shared_handler_daily(tf):
    function = tf["resource"]["aws_lambda_function"]["collector"]
    assert function["handler"] == "app.collect.lambda_handler"
    assert function["runtime"] == "python3.11"
    assert function["reserved_concurrent_executions"] == 1
    assert tf["variable"]["collector_schedule_expression"]["default"].startswith("cron(")
    rule = tf["resource"]["aws_cloudwatch_event_rule"]["collector_daily"]
    assert "collector_schedule_expression" in rule["schedule_expression"]


def test_service_sits_behind_the_existing_listener_with_healthz(tf):
    res = tf["resource"]
    assert "aws_lb" not in res and "aws_lb_listener" not in res, "the load balancer already exists"
    assert "var.listener_arn" in res["aws_lb_listener_rule"]["dashboard"]["listener_arn"]
    health = res["aws_lb_target_group"]["dashboard"]["health_check"][0]
    assert health["path"] == "/healthz"
    service = res["aws_ecs_service"]["dashboard"]
    assert service["network_configuration"][0]["assign_public_ip"] is False
    task = res["aws_ecs_task_definition"]["dashboard"]
    assert "awslogs" in task["container_definitions"]
    assert "readonlyRootFilesystem" in task["container_definitions"]
