# The GitHub App's private key. Terraform creates the secret but never its value, so the key
# is not in state or plan output. Set it out of band, once and on rotation:
#
#   aws secretsmanager put-secret-value --secret-id <name> --secret-string file://app-key.pem
resource "aws_secretsmanager_secret" "github_app_private_key" {
  name                    = "${local.name}/github-app-private-key"
  description             = "GitHub App private key (PEM) for the Copilot usage dashboard and collector."
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30
}
