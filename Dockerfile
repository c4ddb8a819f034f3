# Production image: gunicorn serves the application; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Pango for WeasyPrint (PDF documents) and a CJK font so Chinese text renders in PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
# collectstatic needs a key at build time only; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --home /app lawenforce && chown -R lawenforce /app
USER lawenforce
EXPOSE 8000
CMD ["gunicorn", "lawenforce.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
