"""Read access to the history store for the History page (the dashboard never writes to it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import flask

from app.settings import Settings

log = logging.getLogger(__name__)
EXTENSION_KEY = "copilot_history"


@dataclass(frozen=True)
class HistoryView:
    """The stored history, or why it could not be read."""

    history: object | None  # app.storage.history.History
    error: str | None = None


class HistorySource:
    """Opens the configured store lazily, so a bad ``HISTORY_STORE`` never stops the app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def load(self) -> HistoryView:
        from app.storage import open_history_store
        from app.storage.objects import StorageError

        try:
            store = open_history_store(self.settings)
            return HistoryView(store.load_history())
        except StorageError as exc:
            log.warning("history store unavailable: %s", exc)
            return HistoryView(None, f"The history store could not be read: {exc}")
        except Exception:  # noqa: BLE001 - the page shows a message; the log has the cause
            log.exception("history store failed")
            return HistoryView(None, "The history store could not be read (see the server log).")


def get_history_source() -> HistorySource:
    return flask.current_app.extensions[EXTENSION_KEY]
