# syntax=docker/dockerfile:1.7
# One image recipe for the five services and the gateway. Build from the repository root:
#   docker build -f deploy/service.Dockerfile --build-arg SERVICE=records -t clinic/records .
# SERVICE is one of: gateway identity patients scheduling billing records.
#
# - The SPA is built in a Node stage that only the gateway's build runs (BuildKit skips stages
#   the target does not use); the other images get an empty frontend folder.
# - Runs as the non-root user 10001 with a read-only root file system: mount a writable /tmp
#   (compose: tmpfs; Kubernetes: emptyDir). The entrypoint points <PREFIX>VAR_DIR there.
# - Secrets are files (compose secrets, Kubernetes Secret volumes): <NAME>_FILE sets <NAME>,
#   <PREFIX>DATABASE_PASSWORD_FILE completes <PREFIX>DATABASE_URL (deploy/image/entrypoint.py).
# - No arguments: the API on the service's port (gateway 8000, identity 8001 … records 8005).
#   Migrations, once per release, with the same image: `docker run … clinic/records clinic-records migrate`.
ARG SERVICE=gateway
ARG PYTHON_IMAGE=python:3.11-slim-trixie
ARG NODE_IMAGE=node:20-trixie-slim

# --- the SPA (gateway only) -------------------------------------------------------------------
FROM ${NODE_IMAGE} AS spa-build
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
# The SPA imports the strings from ../translations (the gateway serves them too).
COPY translations/ /src/translations/
RUN npm run build

FROM scratch AS spa-gateway
COPY --from=spa-build /src/frontend/dist/ /

# Every other service: an empty folder (a marker file, so COPY has something to copy).
FROM scratch AS spa-none
COPY deploy/image/no-spa/ /
FROM spa-none AS spa-identity
FROM spa-none AS spa-patients
FROM spa-none AS spa-scheduling
FROM spa-none AS spa-billing
FROM spa-none AS spa-records
# hadolint ignore=DL3006
FROM spa-${SERVICE} AS spa

# --- Python: the service's package and its dependencies only --------------------------------
FROM ${PYTHON_IMAGE} AS python-base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

FROM python-base AS build
ARG SERVICE
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# The whole workspace is small (tests are left out by the .dockerignore beside this file);
# uv installs only clinic-$SERVICE and what it needs, as wheels (no editable links to /src).
COPY pyproject.toml uv.lock ./
COPY libs/shared/ libs/shared/
COPY services/ services/
COPY gateway/ gateway/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "clinic-${SERVICE}"

# --- the runtime image ----------------------------------------------------------------------
FROM python-base AS runtime
ARG SERVICE
# Billing and records render PDFs with WeasyPrint: pango, harfbuzz's subsetter (without it a
# warm one-page render takes 0.18 s instead of 0.02 s) and a font. Nothing else needs them.
# hadolint ignore=DL3008
RUN if [ "$SERVICE" = billing ] || [ "$SERVICE" = records ]; then \
        apt-get update \
     && apt-get install -y --no-install-recommends \
            libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
            fontconfig fonts-dejavu-core \
     && rm -rf /var/lib/apt/lists/* \
     && fc-cache -f; \
    fi \
 && useradd --system --uid 10001 --user-group --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin clinic
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=spa / /app/frontend/dist/
# The strings the gateway inlines into index.html live at the repository root, not in a package.
COPY translations/ /app/translations/
COPY deploy/image/entrypoint.py deploy/image/selfsigned_cert.py /app/tools/
ENV CLINIC_SERVICE=${SERVICE} \
    PATH=/app/.venv/bin:$PATH \
    HOME=/tmp \
    TMPDIR=/tmp \
    XDG_CACHE_HOME=/tmp/.cache \
    GATEWAY_FRONTEND_DIST=/app/frontend/dist \
    GATEWAY_TRANSLATIONS_DIR=/app/translations
USER 10001:10001
EXPOSE 8000-8005
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "/app/tools/entrypoint.py", "healthcheck"]
ENTRYPOINT ["python", "/app/tools/entrypoint.py"]
CMD []
