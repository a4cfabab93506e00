"""WSGI entry for gunicorn: ``gunicorn -c gunicorn.conf.py app.wsgi:server``.

With ``preload_app`` this runs once in the gunicorn master: the example data is converted to
Parquet facts here (in a child process, so the master stays small) and every worker opens the
same files, so no visitor waits for the first load. Live data and the
history store are never touched at import (no sockets before fork).
"""

from app.factory import create_app
from app.services import EXTENSION_KEY
from app.settings import Settings

settings = Settings.from_env()
app = create_app(settings, isolated_builds=True)
server = app.server
if settings.data_source == "example":
    server.extensions[EXTENSION_KEY].warm()
