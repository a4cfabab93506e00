output "history_bucket_name" {
  description = "S3 bucket holding the long-term history."
  value       = aws_s3_bucket.history.bucket
}

output "history_store" {
  description = "HISTORY_STORE value the dashboard and collector use (s3://bucket/prefix)."
  value       = local.history_store
}

output "github_app_private_key_secret_name" {
  description = "Secrets Manager secret to put the GitHub App private key into (aws secretsmanager put-secret-value)."
  value       = aws_secretsmanager_secret.github_app_private_key.name
}

output "github_app_private_key_secret_arn" {
  description = "ARN of that secret."
  value       = aws_secretsmanager_secret.github_app_private_key.arn
}

output "ecs_cluster_name" {
  description = "ECS cluster running the dashboard."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "ECS service of the dashboard (aws ecs update-service --force-new-deployment to roll)."
  value       = aws_ecs_service.dashboard.name
}

output "target_group_arn" {
  description = "Target group the listener rule forwards to."
  value       = aws_lb_target_group.dashboard.arn
}

output "dashboard_task_role_arn" {
  description = "Role the dashboard runs as (read-only on the history prefix)."
  value       = aws_iam_role.dashboard_task.arn
}

output "collector_function_name" {
  description = "Collector Lambda (aws lambda invoke --function-name ... to run it now)."
  value       = aws_lambda_function.collector.function_name
}

output "collector_role_arn" {
  description = "Role the collector runs as (read/write on the history prefix, no delete)."
  value       = aws_iam_role.collector.arn
}
