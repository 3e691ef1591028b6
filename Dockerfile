# Production image: Debian 12, the same system libraries as the development setup.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=hub.settings.prod
RUN apt-get update \
    && apt-get install -y --no-install-recommends gdal-bin nodejs npm \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.lock && npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN node scripts/vendor.mjs && python scripts/dsfr_build.py \
    && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "hub.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
