"""Deterministic example data: "Northwind Digital Services", a ~400-person engineering org.

Writes raw GitHub API files of all three Copilot data generations (usage summary, metrics API,
usage-metrics reports) plus seats and billing, on one coherent timeline, so the dashboard can be
shown and tested without a GitHub connection. Run ``python -m sample --help``.
"""

from sample.catalog import AS_OF, ORG_ID, ORG_LOGIN
from sample.metrics import enterprise_metrics_days, iter_enterprise_metrics_days, metrics_days
from sample.reports import org_day_totals, org_report_records, user_report_records
from sample.roster import billing_response, seat_records
from sample.usage import usage_summary_days
from sample.writer import generate

__all__ = [
    "AS_OF",
    "ORG_ID",
    "ORG_LOGIN",
    "billing_response",
    "enterprise_metrics_days",
    "generate",
    "iter_enterprise_metrics_days",
    "metrics_days",
    "org_day_totals",
    "org_report_records",
    "seat_records",
    "usage_summary_days",
    "user_report_records",
]
