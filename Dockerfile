# Wmo-kaart: the production server (gunicorn) on Debian's Python, data and instance folders as volumes.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    WMO_KAART_INSTANCE=/var/lib/wmo-kaart/instance WMO_KAART_WORKERS=4
WORKDIR /app
COPY pyproject.toml README.md app.py ./
COPY wmo_kaart ./wmo_kaart
COPY layers ./layers
COPY auth ./auth
COPY assets ./assets
COPY data ./data
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/wmo-kaart wmo \
    && mkdir -p /var/lib/wmo-kaart/instance && chown -R wmo /var/lib/wmo-kaart /app/data
USER wmo
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=2)"
CMD ["wmo-kaart", "serve", "--host", "0.0.0.0", "--port", "8050"]
