# The collector: the same code as the dashboard (app.collect.lambda_handler), packaged by
# scripts/build-lambda-package.sh, run daily by EventBridge.

resource "aws_cloudwatch_log_group" "collector" {
  name              = "/aws/lambda/${local.name}-collector"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "collector" {
  count       = var.collector_in_vpc ? 1 : 0
  name        = "${local.name}-collector"
  description = "Copilot collector Lambda: HTTPS out only (GitHub, S3, Secrets Manager)."
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "collector_https_out" {
  count             = var.collector_in_vpc ? 1 : 0
  security_group_id = aws_security_group.collector[0].id
  description       = "HTTPS to GitHub's API and AWS endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_lambda_function" "collector" {
  function_name    = "${local.name}-collector"
  description      = "Collects GitHub Copilot usage and seats into the history bucket."
  role             = aws_iam_role.collector.arn
  runtime          = "python3.11"
  handler          = "app.collect.lambda_handler"
  filename         = var.collector_package_path
  source_code_hash = filebase64sha256(var.collector_package_path)
  timeout          = var.collector_timeout_seconds
  memory_size      = var.collector_memory_mb
  architectures    = ["x86_64"]

  # One run at a time: two overlapping runs would only race on the snapshot (the store's
  # conditional writes keep it correct, but the second run is wasted work).
  reserved_concurrent_executions = 1

  environment {
    variables = local.collector_environment
  }

  dynamic "vpc_config" {
    for_each = var.collector_in_vpc ? [1] : []
    content {
      subnet_ids         = var.private_subnet_ids
      security_group_ids = [aws_security_group.collector[0].id]
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.collector.name
  }

  depends_on = [aws_iam_role_policy.collector, aws_cloudwatch_log_group.collector]
}

resource "aws_cloudwatch_event_rule" "collector_daily" {
  name                = "${local.name}-collector-daily"
  description         = "Run the Copilot usage collector once a day."
  schedule_expression = var.collector_schedule_expression
}

resource "aws_cloudwatch_event_target" "collector_daily" {
  rule  = aws_cloudwatch_event_rule.collector_daily.name
  arn   = aws_lambda_function.collector.arn
  input = jsonencode({ command = "run" })

  retry_policy {
    maximum_retry_attempts       = 2
    maximum_event_age_in_seconds = 3600
  }
}

resource "aws_lambda_permission" "collector_from_eventbridge" {
  statement_id  = "AllowDailyScheduleToInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.collector.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.collector_daily.arn
}

# A failed run raises (exit codes 2-4), so Lambda counts it as an error: alarm on it.
resource "aws_cloudwatch_metric_alarm" "collector_errors" {
  alarm_name          = "${local.name}-collector-errors"
  alarm_description   = "The Copilot usage collector failed; history has a gap until it runs again."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.collector.function_name }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
}
