"""The admin screens at /beheer (role beheerder): upload, report, publish or discard,
download, versions and rollback, and accounts."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, abort, redirect, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from auth import current_role, users
from auth.web import engine
from ..core import access
from ..core.filestore import serialise
from ..core.store import StoreError
from ..core.timefmt import local_time
from . import page_guard, role_view, services

bp = Blueprint("admin", __name__, url_prefix="/beheer", template_folder="templates")


@bp.before_request
def _only_data_managers():
    from flask import request

    return page_guard("feedback_queue" if request.path.startswith("/beheer/meldingen") else "manage_data")


def _store():
    return services().store


@bp.get("")
def overview():
    store = _store()
    dataset = store.current()
    live = store.live_version()
    versions = [{**asdict(v), "local": local_time(v.published_at), "live": v.number == live}
                for v in reversed(store.versions())]
    return render_template(
        "beheer.html", lang="nl", title="Beheer", user=current_user.username, csrf_token=generate_csrf(),
        message=request.args.get("melding", "")[:300], max_mb=services().settings.max_upload_mb,
        dataset={"locations": len(dataset), "live": live, "demo": dataset.meta.get("demo")},
        versions=versions, users=users.list_users(engine()),
        roles=[r for r in access.ROLES if r != access.ANONYMOUS])


@bp.get("/meldingen")
def report_list():
    """The error reports ('Meld een fout'), open first, with a link to each location."""
    from auth import reports

    view = role_view(current_role())
    shown = [{"id": r.id, "at": local_time(r.at.isoformat() if hasattr(r.at, "isoformat") else str(r.at)),
              "location_id": r.location_id, "name": view.loc[r.location_id, "name"] if r.location_id in view.index else "",
              "message": r.message, "contact": r.contact or "", "status": r.status, "handled_by": r.handled_by or ""}
             for r in sorted(reports.listed(engine()), key=lambda r: r.status != "open")]
    return render_template("reports.html", lang="nl", title="Meldingen", reports=shown, csrf_token=generate_csrf(),
                           open_count=sum(1 for r in shown if r["status"] == "open"))


@bp.post("/meldingen/<int:report_id>")
def report_mark(report_id: int):
    from auth import reports

    status = request.form.get("status", "")
    try:
        found = reports.mark(engine(), report_id, status, current_user.username)
    except reports.ReportError:
        abort(400)
    if not found:
        abort(404)
    users.audit(engine(), current_user.username, "report_" + status, str(report_id))
    return redirect("/beheer/meldingen")


@bp.get("/download")
def download():
    store = _store()
    live = store.live_version()
    body = store.version_data(live) if live else serialise(store.collection()[0])
    response = Response(body, mimetype="application/geo+json")
    response.headers["Content-Disposition"] = f'attachment; filename="providers-v{live or 0}.geojson"'
    return response


@bp.get("/rollback/<int:number>")
def rollback_confirm(number: int):
    store = _store()
    version = next((v for v in store.versions() if v.number == number), None)
    live = store.live_version()
    if version is None or number == live:
        return redirect(f"/beheer?melding=Versie {number} kan niet worden teruggezet (bestaat niet of is al live).")
    return render_template("rollback.html", lang="nl", title=f"Versie {number} terugzetten", version=version,
                           local=local_time(version.published_at), live=live, csrf_token=generate_csrf())


@bp.post("/rollback/<int:number>")
def rollback(number: int):
    base = request.form.get("live", type=int)
    try:
        version = _store().rollback(number, actor=current_user.username, base=base)
    except StoreError as exc:
        return redirect(f"/beheer?melding=Niet gelukt: {exc}")
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


from . import admin_import  # noqa: E402,F401 - the import screens share this blueprint and its guard
