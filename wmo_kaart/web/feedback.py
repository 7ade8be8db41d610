"""/melding: "Meld een fout" about a location, for everyone (no account, no personal data needed),
spam-protected (a hidden field people leave empty, CSRF, a rate limit); the reports wait on
/beheer/meldingen for the data manager."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from auth import current_role, reports
from auth.web import engine
from ..i18n import language
from . import role_view, urlstate
from .usage import count

bp = Blueprint("feedback", __name__, template_folder="templates")
HONEYPOT = "website"  # hidden from people; bots fill it in


def _location(loc_id: str):
    view = role_view(current_role())
    return view.loc[loc_id] if urlstate.ID_RE.match(loc_id or "") and loc_id in view.index else None


@bp.route("/melding", methods=["GET", "POST"])
def report():
    lang = language(request.values.get("lang"))
    en = lang == "en"
    loc_id = request.values.get("locatie", "")
    row = _location(loc_id)
    title = "Report a mistake" if en else "Meld een fout"
    if row is None:
        return render_template("feedback.html", lang=lang, title=title, missing=True), 404
    page = {"lang": lang, "title": title, "name": row["name"], "loc_id": loc_id, "csrf_token": generate_csrf(),
            "missing": False, "honeypot": HONEYPOT}
    if request.method == "GET":
        return render_template("feedback.html", **page)
    message, contact = request.form.get("bericht", ""), request.form.get("contact", "")
    if request.form.get(HONEYPOT):
        return render_template("feedback.html", **page, done=True)  # a bot: thank it, keep nothing
    try:
        message, contact = reports.check(message, contact)
    except reports.ReportError as exc:
        return render_template("feedback.html", **page, error=str(exc), message=message, contact=contact), 400
    reports.add(engine(), loc_id, message, contact)
    count("feedback", "melding")
    who = getattr(current_user, "username", None)
    if who:
        from auth import users

        users.audit(engine(), who, "report", loc_id)
    return render_template("feedback.html", **page, done=True)
