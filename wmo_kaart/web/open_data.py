"""The open dataset, findable and stable: /data (a page for people), /data.json (DCAT-AP-NL as JSON-LD
for harvesters and data portals) and the downloads at stable addresses, the current version under
/data/actueel/ and every kept version under /data/versies/<n>/. Always the public view: what anyone
may see without login. Built from `core.dcat`, `core.access` and the export registry."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request

from ..core import access, dcat, provenance
from ..core.dataset import parse_bytes
from ..core.reference import MUNICIPALITIES
from ..export.formats import FORMATS
from . import public_base, services

bp = Blueprint("open_data", __name__)
SUFFIXES = {suffix: slug for suffix, slug, *_ in dcat.FILES}
PUBLISHER_NL = "De gemeenten van Brabant Noordoost-oost en Hart van Brabant"


def _base() -> str:
    return public_base() or request.host_url.rstrip("/")


def catalogue() -> dict:
    """The DCAT-AP-NL description of the public dataset as it is now."""
    svc = services()
    settings = svc.settings
    versions = svc.store.versions()
    view = access.view_for(svc.store.current(), access.ANONYMOUS, hide_ended=not settings.show_ended_contracts)
    bbox = ((float(view["lon"].min()), float(view["lat"].min()), float(view["lon"].max()), float(view["lat"].max()))
            if len(view) else (3.2, 50.7, 7.3, 53.7))
    return dcat.describe(_base(), publisher=settings.organisation or PUBLISHER_NL, contact_email=settings.contact_email,
                         licence=settings.data_licence, releases=[dcat.Release(v.number, v.published_at) for v in versions],
                         bbox=tuple(round(x, 6) for x in bbox), municipalities=[(m.code, m.name) for m in MUNICIPALITIES],
                         demo=bool(svc.store.current().meta.get("demo")), locations=len(view))


@bp.after_request
def _open(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it (no credentials)
    return response


@bp.get("/data.json")
def data_json():
    body = json.dumps(catalogue(), ensure_ascii=False, indent=1)
    response = Response(body, mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/data")
def data_page():
    lang = "en" if request.args.get("lang") == "en" else "nl"
    found = catalogue()
    from ..core.timefmt import local_time

    return render_template("data.html", lang=lang, doc=found, dataset=found["dataset"][0], local_time=local_time, title="Open data" if lang == "en" else "Open data: Wmo-aanbieders")


def _download(dataset, number, published_at, source, suffix: str, immutable: bool) -> Response:
    settings = services().settings
    fmt = FORMATS[SUFFIXES[suffix]]
    rows = access.view_for(dataset, access.ANONYMOUS, hide_ended=not settings.show_ended_contracts)
    about = provenance.describe(number, published_at, source, bool(dataset.meta.get("demo")))
    response = Response(fmt.write(rows, services().catalog, about), mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{dcat.file_name(suffix)}"'
    response.headers["Cache-Control"] = "public, max-age=86400" if immutable else "public, max-age=300"
    return response


def _suffix(name: str) -> str:
    suffix = name.removeprefix("wmo-kaart-locaties.")
    if suffix == name or suffix not in SUFFIXES:
        abort(404)
    return suffix


@bp.get("/data/actueel/<name>")
def current_file(name: str):
    suffix = _suffix(name)
    svc = services()
    versions = svc.store.versions()
    last = versions[-1] if versions else None
    dataset = svc.store.current()
    return _download(dataset, last.number if last else None, last.published_at if last else None,
                     last.source if last else dataset.source, suffix, immutable=False)


@bp.get("/data/versies/<int:number>/<name>")
def version_file(number: int, name: str):
    suffix = _suffix(name)
    svc = services()
    version = next((v for v in svc.store.versions() if v.number == number), None)
    if version is None:
        abort(404)
    dataset = parse_bytes(svc.store.version_data(number), svc.catalog, f"v{number}")
    return _download(dataset, number, version.published_at, version.source, suffix, immutable=True)
