FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=awardportal.settings.production

WORKDIR /app
RUN useradd --create-home --uid 1000 award
# Runtime requirements only: the test tools and linters stay out of the image.
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Catalogues are compiled (pure Python, no gettext) and static files collected at build
# time with a throwaway key; whitenoise serves them.
RUN SECRET_KEY=build-only python manage.py compile_catalogues \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R award:award /app/media
USER award
EXPOSE 8000
CMD ["gunicorn", "awardportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
