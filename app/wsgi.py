"""WSGI entry for gunicorn: ``gunicorn -c gunicorn.conf.py app.wsgi:server``."""

from app.factory import create_app
from app.settings import Settings

app = create_app(Settings.from_env())
server = app.server
