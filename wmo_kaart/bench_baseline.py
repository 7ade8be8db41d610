"""The trivial app of the load benchmark's baseline: Flask answering /api/v1/nearest with a fixed, small JSON
body (about the size of ours), no data, no limiter, no logging. Served by gunicorn with our worker count and
threads, it shows what the machine and the HTTP client manage at best (`wmo_kaart.benchmarks`)."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)
BODY = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.5, 51.7]},
                                                   "properties": {"id": f"LOC-{i:04d}", "distance_m": 1000 * i}} for i in range(5)]}


@app.get("/api/v1/nearest")
def nearest():
    return BODY


@app.get("/readyz")
def ready():
    return {"ready": True}
