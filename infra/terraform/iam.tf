# Least privilege. The dashboard only READS history (and the GitHub key when it shows live
# data); only the collector writes, and nothing may delete: a bug or a stolen credential can
# add versions but never destroy the archive. tests/unit/test_deploy_terraform.py checks this.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# ---------------------------------------------------------------------------------------------
# ECS task EXECUTION role: used by the ECS agent to pull the image, write logs and inject
# container_secrets. The application code never gets these permissions.
# ---------------------------------------------------------------------------------------------
resource "aws_iam_role" "dashboard_execution" {
  name               = "${local.name}-dashboard-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "dashboard_execution" {
  role       = aws_iam_role.dashboard_execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "dashboard_execution_secrets" {
  count = length(var.container_secrets) > 0 ? 1 : 0

  statement {
    sid       = "InjectContainerSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = distinct([for arn in values(var.container_secrets) : regex("^(arn:[^:]+:secretsmanager:[^:]+:[0-9]+:secret:[^:]+)", arn)[0]])
  }

  dynamic "statement" {
    for_each = local.use_kms ? [1] : []
    content {
      sid       = "DecryptContainerSecrets"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "dashboard_execution_secrets" {
  count  = length(var.container_secrets) > 0 ? 1 : 0
  name   = "inject-container-secrets"
  role   = aws_iam_role.dashboard_execution.id
  policy = data.aws_iam_policy_document.dashboard_execution_secrets[0].json
}

# ---------------------------------------------------------------------------------------------
# Dashboard TASK role: what the running app may do. Read history; read the key for live data.
# ---------------------------------------------------------------------------------------------
resource "aws_iam_role" "dashboard_task" {
  name               = "${local.name}-dashboard-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "dashboard_task" {
  statement {
    sid       = "ListHistoryPrefix"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.history.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.history_prefix, "${var.history_prefix}/*"]
    }
  }

  statement {
    sid       = "ReadHistoryObjects"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.history.arn}/${var.history_prefix}/*"]
  }

  dynamic "statement" {
    for_each = local.live_data ? [1] : []
    content {
      sid       = "ReadGitHubAppKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [aws_secretsmanager_secret.github_app_private_key.arn]
    }
  }

  dynamic "statement" {
    for_each = local.use_kms ? [1] : []
    content {
      sid       = "DecryptWithBucketKey"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "dashboard_task" {
  name   = "read-history"
  role   = aws_iam_role.dashboard_task.id
  policy = data.aws_iam_policy_document.dashboard_task.json
}

# ---------------------------------------------------------------------------------------------
# Collector (Lambda) role: read and write history (no delete), read the key, write its logs.
# ---------------------------------------------------------------------------------------------
resource "aws_iam_role" "collector" {
  name               = "${local.name}-collector"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "collector" {
  statement {
    sid       = "ListHistoryPrefix"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.history.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.history_prefix, "${var.history_prefix}/*"]
    }
  }

  statement {
    sid       = "ReadWriteHistoryObjects"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.history.arn}/${var.history_prefix}/*"]
  }

  statement {
    sid       = "ReadGitHubAppKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.github_app_private_key.arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.collector.arn}:*"]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [1] : []
    content {
      sid       = "EncryptWithBucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "collector" {
  name   = "collect-history"
  role   = aws_iam_role.collector.id
  policy = data.aws_iam_policy_document.collector.json
}

# Network interfaces for running inside the VPC (only when subnets are given).
resource "aws_iam_role_policy_attachment" "collector_vpc" {
  count      = var.collector_in_vpc ? 1 : 0
  role       = aws_iam_role.collector.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}
