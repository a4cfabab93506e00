"""Access control, response hardening and secret scrubbing (see :mod:`app.security.install`).

Kept free of imports so that the modules the collector needs (``context``, ``scrubbing``) load
without the web stack (Flask, Dash), which the collector's Lambda package does not ship.
"""
