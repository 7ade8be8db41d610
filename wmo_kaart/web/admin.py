"""The admin screens at /beheer (role beheerder): upload, report, publish or discard,
download, versions and rollback, and accounts."""

from __future__ import annotations

import json
import re
import secrets

from flask import Blueprint, abort, redirect, render_template, request, send_file
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from auth import current_role, users
from auth.db import record_bw_history
from auth.web import engine
from ..core import access
from ..core.importer.service import current_collection, run_bw_update, run_import
from ..core.publish import Publisher
from . import services

bp = Blueprint("admin", __name__, url_prefix="/beheer", template_folder="templates")
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


@bp.before_request
def _only_data_managers():
    role = current_role()
    if role == access.ANONYMOUS:
        return redirect(f"/login?next={request.path}")
    if not access.may_open_page(role, "beheer"):
        abort(403)
    return None


def _publisher() -> Publisher:
    settings = services().settings
    return Publisher(settings.data_path, settings.versions_dir)


def _staging():
    path = services().settings.instance_path / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


@bp.get("")
def overview():
    dataset = services().store.current()
    return render_template(
        "beheer.html", lang="nl", title="Beheer", user=current_user.username, csrf_token=generate_csrf(),
        message=request.args.get("melding", "")[:200], max_mb=services().settings.max_upload_mb,
        dataset={"locations": len(dataset), "version": dataset.version, "demo": dataset.meta.get("demo")},
        versions=list(reversed(_publisher().versions())), users=users.list_users(engine()),
        roles=[r for r in access.ROLES if r != access.ANONYMOUS])


@bp.post("/upload")
def upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return redirect("/beheer?melding=Kies een bestand.")
    raw = upload.read()
    svc = services()
    mode = request.form.get("mode", "replace")
    base = current_collection(svc.settings.data_path)
    history = []
    if mode == "bw":
        outcome, history = run_bw_update(raw, upload.filename, svc.catalog, base)
    else:
        outcome = run_import(raw, upload.filename, svc.catalog, svc.geocoder, base=base if mode == "merge" else None)
    token = secrets.token_hex(16)
    staged = {"source": upload.filename[:120], "mode": mode, "sha256": outcome.source_sha256,
              "report": outcome.report.as_json(), "collection": outcome.collection, "history": history,
              "actor": current_user.username}
    (_staging() / f"{token}.json").write_text(json.dumps(staged, ensure_ascii=False), encoding="utf-8")
    users.audit(engine(), current_user.username, "import_check", upload.filename[:120],
                f"geaccepteerd={outcome.report.as_json()['accepted']} afgewezen={outcome.report.rejected}")
    return redirect(f"/beheer/staging/{token}")


def _load(token: str) -> dict:
    path = _staging() / f"{token}.json"
    if not TOKEN_RE.match(token) or not path.exists():
        abort(404)
    return json.loads(path.read_text(encoding="utf-8"))


@bp.get("/staging/<token>")
def staging(token: str):
    staged = _load(token)
    collection = staged["collection"]
    return render_template("staging.html", lang="nl", title="Rapport", token=token, source=staged["source"],
                           report=staged["report"], publishable=collection is not None,
                           locations=len(collection["features"]) if collection else 0, csrf_token=generate_csrf())


@bp.post("/staging/<token>/publish")
def publish(token: str):
    staged = _load(token)
    if staged["collection"] is None:
        abort(400)
    version = _publisher().publish(staged["collection"], current_user.username, staged["source"], staged["sha256"],
                                   {"replace": "vervangen", "merge": "samenvoegen", "bw": "BW-cijfers"}[staged["mode"]])
    if staged["history"]:
        record_bw_history(engine(), staged["history"], staged["sha256"])
    (_staging() / f"{token}.json").unlink(missing_ok=True)
    users.audit(engine(), current_user.username, "publish", f"v{version.number}", staged["source"])
    return redirect(f"/beheer?melding=Gepubliceerd als versie {version.number}.")


@bp.post("/staging/<token>/discard")
def discard(token: str):
    _load(token)
    (_staging() / f"{token}.json").unlink(missing_ok=True)
    return redirect("/beheer?melding=Weggegooid; er is niets gepubliceerd.")


@bp.get("/download")
def download():
    path = services().settings.data_path
    return send_file(path.resolve(), mimetype="application/geo+json", as_attachment=True, download_name="providers.geojson")


@bp.post("/rollback/<int:number>")
def rollback(number: int):
    try:
        version = _publisher().rollback(number, current_user.username)
    except ValueError as exc:
        return redirect(f"/beheer?melding=Niet gelukt: {exc}.")
    users.audit(engine(), current_user.username, "rollback", f"v{number}", f"nieuwe versie {version.number}")
    return redirect(f"/beheer?melding=Versie {number} staat weer online (als versie {version.number}).")


@bp.post("/users/add")
def add_user():
    try:
        users.add_user(engine(), request.form.get("username", ""), request.form.get("role", ""),
                       request.form.get("password", ""), actor=current_user.username)
    except users.UserError as exc:
        return redirect(f"/beheer?melding=Niet toegevoegd: {exc}.")
    return redirect("/beheer?melding=Gebruiker toegevoegd.")


def _not_yourself(name: str):
    if name == current_user.username:
        return redirect("/beheer?melding=Uw eigen rol of account kunt u hier niet wijzigen (dat voorkomt buitensluiten).")
    return None


@bp.post("/users/<name>/role")
def set_role(name: str):
    if refused := _not_yourself(name):
        return refused
    try:
        users.set_role(engine(), name, request.form.get("role", ""), actor=current_user.username)
    except users.UserError as exc:
        return redirect(f"/beheer?melding=Niet gewijzigd: {exc}.")
    return redirect("/beheer?melding=Rol gewijzigd; de sessies van die gebruiker zijn beëindigd.")


@bp.post("/users/<name>/disable")
def disable(name: str):
    if refused := _not_yourself(name):
        return refused
    try:
        users.disable(engine(), name, actor=current_user.username)
    except users.UserError as exc:
        return redirect(f"/beheer?melding=Niet gelukt: {exc}.")
    return redirect("/beheer?melding=Gebruiker uitgeschakeld.")
