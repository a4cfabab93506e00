"""The real app (``app.factory.create_app``) with the security layer wired as the lead should.

Lets the security tests exercise the real pages before (and independently of) the factory's own
wiring; once the factory calls these functions itself, the calls here are no-ops.

    gunicorn -c gunicorn.conf.py tests.support.security_real_app:server
"""

from __future__ import annotations

from app.errors import callback_error_handler, install_error_handlers
from app.factory import create_app
from app.logging_setup import configure_logging
from app.observability import init_sentry
from app.security import install_csp, install_security
from app.settings import Settings

settings = Settings.from_env()
configure_logging(settings)
init_sentry(settings)
app = create_app(settings)
if getattr(app, "_on_error", None) is None:
    app._on_error = callback_error_handler  # what Dash(on_error=...) would have set
install_security(app.server, settings)
install_csp(app, settings)
install_error_handlers(app.server)
server = app.server
