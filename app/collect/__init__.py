"""The collector: fills the history store from GitHub and from exported files.

Three ways to run the same code:

* command line: ``copilot-collect [run|import FILE...|rebuild]`` or ``python -m app.collect``
  (also the Cloud Foundry task command);
* AWS Lambda: handler ``app.collect.lambda_handler``;
* Python: :func:`run_collect`, :func:`import_files`, :func:`rebuild_snapshot`.
"""

from __future__ import annotations

from app.collect.aws import lambda_handler
from app.collect.cli import main
from app.collect.commands import import_files, rebuild_snapshot, run_collect
from app.collect.outcome import ExitCode, Outcome

__all__ = [
    "ExitCode",
    "Outcome",
    "import_files",
    "lambda_handler",
    "main",
    "rebuild_snapshot",
    "run_collect",
]
