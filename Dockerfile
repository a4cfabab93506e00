# syntax=docker/dockerfile:1
#
# Copilot Usage Dashboard: the same code and gunicorn settings as `cf push`, as a container.
#
#   docker build -t copilot-dashboard .
#   docker run --rm -p 8050:8050 -e DATA_SOURCE=example copilot-dashboard
#
# Two stages: the builder installs the locked runtime dependencies (requirements.txt, no test
# packages) into a virtualenv; the runtime stage copies only that venv and the app's source, so
# pip, its caches and build artefacts never reach the image. Every dependency ships a
# manylinux wheel, so no compiler is installed in either stage.
# The base is pinned by tag; pin the digest too (python:3.11.14-slim-bookworm@sha256:...) in
# your registry mirror if your policy asks for it.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# Dependencies first: these layers are rebuilt only when the lock file changes.
COPY requirements.txt ./
COPY scripts/slim-venv.sh /usr/local/bin/slim-venv
# --no-deps: requirements.txt is a complete lock; nothing may be resolved at build time.
# pip and setuptools are not needed at run time (dash declares setuptools but never imports
# it). slim-venv drops test suites, source maps, Jupyter-only files and unused botocore
# models (~140 MB), then byte-compiles the rest and smoke-tests the imports.
RUN pip install --no-cache-dir --no-compile --no-deps --only-binary=:all: -r requirements.txt \
    && pip check \
    && pip uninstall --yes pip setuptools \
    && slim-venv /opt/venv

# The application source, laid out exactly as Cloud Foundry runs it (from the app directory),
# byte-compiled now so a read-only root filesystem costs nothing at start.
# .dockerignore is an allow-list (app/, pages/, assets/, sample_data/, gunicorn.conf.py, ...).
# assets/vendor (the partial plotly.js bundle and Bootstrap) comes from npm via `make assets`;
# without it pages silently fall back to the 4.8 MB full plotly.js, so refuse to build.
COPY . ./
RUN test -f assets/vendor/.stamp \
        || { echo "assets/vendor is missing: run 'make assets' before 'docker build'" >&2; exit 1; } \
    && rm -rf scripts \
    && python -m compileall -q .

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="copilot-usage-dashboard" \
      org.opencontainers.image.description="GitHub Copilot usage, seats and history dashboard" \
      org.opencontainers.image.licenses="MIT"

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8050 \
    LOG_FORMAT=json

# A fixed, unprivileged uid/gid (Kubernetes runAsNonRoot and ECS checks need a numeric USER).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
# Source owned by root and read-only to the app user; only var/ (the default file:// history
# store) is writable, and production uses S3 anyway.
COPY --from=builder /src /app
RUN mkdir -p /app/var && chown app:app /app/var

USER 10001:10001
EXPOSE 8050

# slim has no curl: ask /healthz with the standard library. urlopen raises on any non-2xx.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8050'), timeout=4)"]

# Exec form: gunicorn is PID 1 and receives SIGTERM directly (graceful_timeout 8 s).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "app.wsgi:server"]
