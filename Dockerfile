# One image for the three Python roles: web (gunicorn, the default command), the Celery worker
# and Celery beat (docker-compose.yml sets their commands).

# --- Front-end: the GOV.UK Design System compiled with Arial --------------------------------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY scripts/build_assets.mjs scripts/
COPY static/scss static/scss
RUN npm run build

# --- Python --------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/var/lib/send-tracker \
    MEDIA_ROOT=/var/lib/send-tracker/media \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /build/static/build static/build

# Static files are collected at build time, with a key that exists only for this step (settings
# refuse to load without one when DEBUG is off); the running container gets its own SECRET_KEY.
RUN DEBUG=false SECRET_KEY=docker-build-only-collectstatic-not-a-secret-0000000000 \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent send-tracker \
    && mkdir -p /var/lib/send-tracker/media /var/lib/send-tracker/celery \
    && chown -R send-tracker:send-tracker /var/lib/send-tracker

# The code is owned by root and only readable by the service; it writes only to VAR_DIR.
USER send-tracker
EXPOSE 8000
CMD ["gunicorn", "send_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
