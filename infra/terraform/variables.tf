# ----------------------------------------------------------------------------------------------
# Where and what
# ----------------------------------------------------------------------------------------------
variable "aws_region" {
  description = "AWS region for every resource (e.g. eu-west-2)."
  type        = string
}

variable "environment" {
  description = "Environment name used in resource names, tags and SENTRY_ENVIRONMENT (e.g. staging, production)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must be 2-21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "name_prefix" {
  description = "Prefix for resource names."
  type        = string
  default     = "copilot-dashboard"
}

variable "tags" {
  description = "Extra tags for every resource (cost centre, owner, data classification...)."
  type        = map(string)
  default     = {}
}

# ----------------------------------------------------------------------------------------------
# Network and the EXISTING load balancer
# ----------------------------------------------------------------------------------------------
variable "vpc_id" {
  description = "VPC in which the ECS tasks run (the load balancer's VPC)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the ECS tasks and the collector Lambda (they need outbound HTTPS to GitHub, via NAT or a proxy)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Give at least two subnets (two availability zones) so one zone failing does not take the dashboard down."
  }
}

variable "load_balancer_security_group_id" {
  description = "Security group of the existing Application Load Balancer; only it may reach the container port."
  type        = string
}

variable "listener_arn" {
  description = "ARN of the existing HTTPS listener on the load balancer that will forward to the dashboard."
  type        = string
}

variable "listener_rule_priority" {
  description = "Priority of the listener rule (unique on that listener)."
  type        = number
  default     = 100
}

variable "host_headers" {
  description = "Host names routed to the dashboard by the listener rule (e.g. [\"copilot.example.gov.uk\"])."
  type        = list(string)
}

# ----------------------------------------------------------------------------------------------
# The dashboard service
# ----------------------------------------------------------------------------------------------
variable "container_image" {
  description = "Image built from the repository's Dockerfile, pinned by digest (registry/repo@sha256:...)."
  type        = string
}

variable "desired_count" {
  description = "Number of dashboard tasks (at least 2 for availability)."
  type        = number
  default     = 2
}

variable "task_cpu" {
  description = "Fargate task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "task_memory" {
  description = "Fargate task memory in MiB (2 gunicorn workers with pandas and plotly need about 700 MiB)."
  type        = number
  default     = 2048
}

variable "web_concurrency" {
  description = "gunicorn worker processes per task (WEB_CONCURRENCY)."
  type        = number
  default     = 2
}

variable "data_source" {
  description = "Default data source: \"example\" (bundled sample data) or \"live\" (GitHub App)."
  type        = string
  default     = "live"

  validation {
    condition     = contains(["example", "live"], var.data_source)
    error_message = "data_source must be \"example\" or \"live\"."
  }
}

variable "github_org" {
  description = "GitHub organisation whose Copilot usage is shown (leave null when using github_enterprise)."
  type        = string
  default     = null
}

variable "github_enterprise" {
  description = "GitHub enterprise slug, for enterprise-wide reports (optional)."
  type        = string
  default     = null
}

variable "github_app_client_id" {
  description = "The GitHub App's client ID (not secret). The private key goes into the Secrets Manager secret this module creates."
  type        = string
  default     = null
}

variable "trusted_proxies" {
  description = "CIDRs whose X-Forwarded-For the app believes (TRUSTED_PROXIES): the load balancer's subnets."
  type        = list(string)
  default     = []
}

variable "allowed_ips" {
  description = "Client CIDRs allowed to use the dashboard (ALLOWED_IPS); empty allows everyone the load balancer lets in."
  type        = list(string)
  default     = []
}

variable "container_secrets" {
  description = "Extra environment variables taken from Secrets Manager at task start: env name => secret ARN (optionally ARN:json-key::), e.g. { BASIC_AUTH_USERS = \"arn:...\", SENTRY_DSN = \"arn:...\" }."
  type        = map(string)
  default     = {}
}

variable "extra_environment" {
  description = "Extra non-secret environment variables for the dashboard and the collector (see app/settings.py)."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention for the dashboard and the collector."
  type        = number
  default     = 90
}

# ----------------------------------------------------------------------------------------------
# History bucket
# ----------------------------------------------------------------------------------------------
variable "history_bucket_name" {
  description = "Name of the S3 bucket holding the long-term history (globally unique)."
  type        = string
}

variable "history_prefix" {
  description = "Key prefix inside the bucket (HISTORY_STORE=s3://bucket/prefix)."
  type        = string
  default     = "copilot-history"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)*$", var.history_prefix))
    error_message = "history_prefix must be a relative key prefix without leading or trailing slashes."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the bucket and the secret; null uses S3-managed keys (AES256) and the AWS-managed Secrets Manager key."
  type        = string
  default     = null
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten object version is kept before it expires. Current versions never expire."
  type        = number
  default     = 365
}

# ----------------------------------------------------------------------------------------------
# Collector (Lambda)
# ----------------------------------------------------------------------------------------------
variable "collector_package_path" {
  description = "Path to the zip built by scripts/build-lambda-package.sh."
  type        = string
  default     = "../../build/collector-lambda.zip"
}

variable "collector_schedule_expression" {
  description = "EventBridge schedule for the collector (UTC). GitHub publishes a day's usage the next day."
  type        = string
  default     = "cron(30 4 * * ? *)"
}

variable "collector_timeout_seconds" {
  description = "Lambda timeout for one collector run (max 900)."
  type        = number
  default     = 900
}

variable "collector_memory_mb" {
  description = "Lambda memory for the collector (more memory also buys more CPU)."
  type        = number
  default     = 1024
}

variable "collector_in_vpc" {
  description = "Run the collector Lambda in private_subnet_ids (needs NAT or a proxy to reach GitHub). false runs it on Lambda's own network."
  type        = bool
  default     = true
}
