data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name           = "${var.name_prefix}-${var.environment}"
  container_name = "dashboard"
  container_port = 8050
  history_store  = "s3://${aws_s3_bucket.history.bucket}/${var.history_prefix}"
  use_kms        = var.kms_key_arn != null
  live_data      = var.data_source == "live"

  # Environment shared by the dashboard and the collector (names as in app/settings.py).
  common_environment = merge(
    {
      HISTORY_STORE      = local.history_store
      LOG_FORMAT         = "json"
      LOG_LEVEL          = "INFO"
      SENTRY_ENVIRONMENT = var.environment
    },
    var.github_org == null ? {} : { GITHUB_ORG = var.github_org },
    var.github_enterprise == null ? {} : { GITHUB_ENTERPRISE = var.github_enterprise },
    var.github_app_client_id == null ? {} : { GITHUB_APP_CLIENT_ID = var.github_app_client_id },
    var.extra_environment,
  )

  # The collector always needs the GitHub App key; the dashboard only for live data (its role
  # may read the secret only then, see iam.tf).
  collector_environment = merge(local.common_environment, {
    AWS_SECRET_NAME = aws_secretsmanager_secret.github_app_private_key.name
  })

  dashboard_environment = merge(local.common_environment, local.live_data ? {
    AWS_SECRET_NAME = aws_secretsmanager_secret.github_app_private_key.name
  } : {}, {
    DATA_SOURCE      = var.data_source
    WEB_CONCURRENCY  = tostring(var.web_concurrency)
    GUNICORN_THREADS = "4"
    # Longer than the ALB's 60 s idle timeout so gunicorn never closes a connection the load
    # balancer is about to reuse (see gunicorn.conf.py).
    GUNICORN_KEEPALIVE = "65"
    TRUSTED_PROXIES    = join(",", var.trusted_proxies)
    ALLOWED_IPS        = join(",", var.allowed_ips)
  })
}
