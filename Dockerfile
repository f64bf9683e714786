# The app under gunicorn, with production settings and static files served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production

WORKDIR /app
COPY pyproject.toml README.md ./
COPY nato_tracker ./nato_tracker
COPY spending ./spending
COPY articles ./articles
COPY pages ./pages
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings but no database and no real secret.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 app
USER app
EXPOSE 8000
ENV BIND=0.0.0.0:8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "nato_tracker.wsgi:application"]
