FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpq5 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Production's packages only, each checked against its hash; tests, bench and browser tools are in dev.txt.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY . .
# collectstatic needs settings but no services: give it throwaway values.
RUN DJANGO_SECRET_KEY=build-only-secret-key-build-only-secret-key-build-only-0000 \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput \
 && python manage.py compilemessages

RUN useradd --create-home yingzi && mkdir -p /app/media && chown -R yingzi /app/media
USER yingzi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30", \
     "--limit-request-line", "4094", "--limit-request-fields", "100", "--limit-request-field_size", "8190"]
