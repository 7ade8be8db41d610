"""The import screens on /beheer: upload, a check in the background with progress, the report with
column accounting and a preview of the change, hand mappings, confirmation, publish or discard."""

from __future__ import annotations

import base64
import logging
import threading
from functools import partial

from flask import abort, redirect, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from auth import users
from auth.web import engine
from ..core.importer.columns import IGNORE, normalise, parse_mapping
from ..core.importer.report import INPUT_LABELS, column_of, field_label, precision_label
from ..core import publishing
from ..core.changes import NO_CHANGE
from ..core.schema import FIELDS
from ..core.store import StaleError, StoreError
from . import services
from .admin import bp

MODES = publishing.MODES
CHOICES = [(f.name, f.nl) for f in FIELDS] + list(INPUT_LABELS.items()) + [(IGNORE, "Negeren")]


def _check(store, catalog, geocoder, token: str, job: dict) -> None:
    """Run one check (core.publishing) and stage its outcome under `token` (runs in a background thread).
    Progress goes into a small record of its own: the upload is staged once, not at every step."""
    step = {"last": -1}
    fields = {k: v for k, v in job.items() if k != "raw"}

    def progress(done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        if percent >= step["last"] + 5:
            step["last"] = percent
            store.stage({**fields, "state": "running", "percent": percent}, token)

    try:
        checked, _outcome = publishing.check(store, _job(job), catalog, geocoder, progress)
        store.stage({**job, **checked.staged(), "state": "done"}, token)
    except StoreError as exc:
        store.stage({**job, "state": "failed", "message": str(exc)}, token)
    except Exception:  # noqa: BLE001 - a check must end, never leave the page at 0 % forever
        logging.getLogger(__name__).exception("controle van %s onverwacht gestopt", job.get("source"))
        store.stage({**job, "state": "failed", "message": UNEXPECTED}, token)


UNEXPECTED = ("de controle stopte onverwacht; er is niets gepubliceerd. De fout staat in het logboek van de server: "
              "meld het bestand bij de beheerder van de Wmo-kaart")


def _job(job: dict) -> publishing.Job:
    return publishing.Job(job["source"], job["mode"], base64.b64decode(job["raw"]), job["actor"], job["partial"],
                          job["clear_empty"], job["allow_older"], job["allow_future"])


def _start(job: dict, token: str | None = None) -> str:
    svc = services()
    token = svc.store.stage({**job, "state": "running", "percent": 0}, token)
    threading.Thread(target=_check, args=(svc.store, svc.catalog, svc.geocoder, token, job), daemon=True).start()
    return token


@bp.post("/upload")
def upload():
    upload = request.files.get("file")
    mode = request.form.get("mode", "replace")
    if mode not in MODES:
        return redirect("/beheer?melding=Kies vervangen, samenvoegen of alleen BW-cijfers.")
    if upload is None or not upload.filename:
        return redirect("/beheer?melding=Kies een bestand.")
    raw = upload.read()
    flags = {name: request.form.get(name) == "1" for name in ("partial", "clear_empty", "allow_older", "allow_future")}
    job = {"source": upload.filename[:120], "mode": mode, "raw": base64.b64encode(raw).decode(), "actor": current_user.username,
           **flags}
    try:
        token = _start(job)
    except StoreError as exc:
        return redirect(f"/beheer?melding=Niet gelukt: {exc}")
    users.audit(engine(), current_user.username, "import_check", upload.filename[:120], MODES[mode])
    return redirect(f"/beheer/staging/{token}")


def _load(token: str) -> dict:
    staged = services().store.staged(token)
    if staged is None:
        abort(404)
    return staged


def _preview(report: dict) -> dict | None:
    change = report.get("change")
    if not change:
        return None
    fields = [{"label": column_of(report["sheets"], name), "changed": change["changed"].get(name, []),
               "emptied": change["emptied"].get(name, [])} for name in {*change["changed"], *change["emptied"]}]
    return {**change, "fields": sorted(fields, key=lambda f: f["label"].casefold())}


@bp.get("/staging/<token>")
def staging(token: str):
    staged = _load(token)
    if staged["state"] != "done":
        return render_template("staging_wait.html", lang="nl", title="Bestand wordt gecontroleerd", staged=staged,
                               token=token, csrf_token=generate_csrf())
    report = staged["report"]
    settings = services().settings
    need = publishing.refusals(publishing.Checked.from_staged(staged), confirm=False, allow_shrink=False,
                               max_shrink=settings.max_shrink) if staged["collection"] else []
    no_change = need == [NO_CHANGE]
    return render_template("staging.html", lang="nl", title=f"Rapport: {staged['source']}", token=token, staged=staged,
                           report=report, preview=_preview(report),
                           publishable=staged["collection"] is not None and not no_change, no_change=no_change,
                           needs_confirm=any("bevestig" in r for r in need), needs_shrink=any("krimpt" in r for r in need),
                           reasons=need, choices=CHOICES, field_label=field_label, precision_label=precision_label, message=request.args.get("melding", "")[:300],
                           live=services().store.live_version(), csrf_token=generate_csrf())


@bp.post("/staging/<token>/answer")
def answer(token: str):
    """Remember the data manager's answers to 'is this the same location?' and check again."""
    from ..core.importer.establishment import parse_answer

    staged = _load(token)
    answers = {}
    for key, value in request.form.items():
        if key.startswith("vraag:") and value:
            try:
                remembered, target = parse_answer(f"{key[6:]}={value}")
            except ValueError as exc:
                return redirect(f"/beheer/staging/{token}?melding=Niet opgeslagen: {exc}")
            answers[remembered] = target
    services().store.remember_mappings(answers)
    services().store.discard(token)
    return redirect(f"/beheer/staging/{_start({k: staged[k] for k in _JOB_KEYS})}")


@bp.post("/staging/<token>/map")
def map_columns(token: str):
    staged = _load(token)
    mapped = {}
    for key, value in request.form.items():
        if key.startswith("kolom:") and value:
            try:
                column, field = parse_mapping(f"{key[6:]}={value}")
            except ValueError as exc:
                return redirect(f"/beheer/staging/{token}?melding=Niet gekoppeld: {exc}")
            mapped[normalise(column)] = field
    services().store.remember_mappings(mapped)
    services().store.discard(token)
    return redirect(f"/beheer/staging/{_start({k: staged[k] for k in _JOB_KEYS})}")


_JOB_KEYS = ("source", "mode", "raw", "actor", "partial", "clear_empty", "allow_older", "allow_future")


@bp.post("/staging/<token>/recheck")
def recheck(token: str):
    staged = _load(token)
    services().store.discard(token)
    return redirect(f"/beheer/staging/{_start({k: staged[k] for k in _JOB_KEYS})}")


@bp.post("/staging/<token>/publish")
def publish(token: str):
    staged = _load(token)
    if staged["state"] != "done" or staged["collection"] is None:
        abort(400)
    svc = services()
    try:
        version = publishing.publish(svc.store, publishing.Checked.from_staged(staged), actor=current_user.username,
                                     confirm=request.form.get("confirm") == "1",
                                     allow_shrink=request.form.get("allow_shrink") == "1",
                                     max_shrink=svc.settings.max_shrink, audit=partial(users.audit, engine()))
    except publishing.Refused as exc:
        return redirect(f"/beheer/staging/{token}?melding=Niet gepubliceerd: {exc.reasons[0]}.")
    except StaleError as exc:
        return redirect(f"/beheer/staging/{token}?melding={exc}")
    except StoreError as exc:
        return redirect(f"/beheer/staging/{token}?melding=Niet gepubliceerd: {exc}")
    svc.store.discard(token)
    return redirect(f"/beheer?melding=Gepubliceerd als versie {version.number}.")


@bp.post("/staging/<token>/discard")
def discard(token: str):
    _load(token)
    services().store.discard(token)
    return redirect("/beheer?melding=Weggegooid; er is niets gepubliceerd.")
