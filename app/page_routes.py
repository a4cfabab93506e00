"""Which registered page Dash's router shows for a path: one answer for every caller.

Matched as Dash 4.4's router matches (its private ``_path_to_page``): the exact path, or a
``path_template`` with its ``<variables>`` as wildcards, in registry order. Used for the HTTP
status of a page (app/factory.py) and to build the first view (app/first_view.py), so what the
status says, what the server builds and what the browser shows agree.
"""

from __future__ import annotations

import re
from fnmatch import fnmatch

import dash

#: The module name of the page shown for unknown paths (pages/not_found_404.py).
NOT_FOUND_MODULE = "not_found_404"


def registered_page(path: str) -> dict | None:
    """The registry entry for ``path`` (relative to the pathname prefix), or None."""
    wanted = path.strip("/")
    for entry in dash.page_registry.values():
        template = entry.get("path_template")
        if template:
            if fnmatch(wanted, re.sub("<.*?>", "*", template.strip("/"))):
                return entry
        elif wanted == entry["path"].strip("/"):
            return entry
    return None


def is_not_found_page(entry: dict) -> bool:
    return entry.get("module", "").split(".")[-1] == NOT_FOUND_MODULE


def not_found_page() -> dict | None:
    """The registry entry of the not-found page, if the app has one."""
    return next((e for e in dash.page_registry.values() if is_not_found_page(e)), None)
