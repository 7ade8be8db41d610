"""/melding: "Meld een fout" about a location, for everyone (no account, no personal data needed),
spam-protected (a hidden field people leave empty, CSRF, a rate limit); the reports wait on
/beheer/meldingen for the data manager."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer

from auth import current_role, reports
from auth.web import engine
from ..i18n import language
from . import role_view, urlstate
from .usage import count

bp = Blueprint("feedback", __name__, template_folder="templates")
HONEYPOT = "website"  # hidden from people; bots fill it in
FORM_HOURS = 4  # a resident's form stays valid this long


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="melding")


def form_token(loc_id: str) -> str:
    """Return the form's token: for a visitor without a session a signed, expiring token naming the location,
    so this public page sets no cookie; for a logged-in user the session's CSRF token."""
    if current_user.is_authenticated:
        return generate_csrf()
    return _signer().dumps(loc_id)


def token_ok(loc_id: str) -> bool:
    """Tell whether the posted form token is valid (logged-in users' tokens are checked before this view)."""
    if current_user.is_authenticated:
        return True
    try:
        return _signer().loads(request.form.get("csrf_token", ""), max_age=FORM_HOURS * 3600) == loc_id
    except BadData:
        return False


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
    page = {"lang": lang, "title": title, "name": row["name"], "loc_id": loc_id, "csrf_token": form_token(loc_id),
            "missing": False, "honeypot": HONEYPOT}
    if request.method == "GET":
        return render_template("feedback.html", **page)
    message, contact = request.form.get("bericht", ""), request.form.get("contact", "")
    if not token_ok(loc_id):
        error = ("This form has expired. Please send your report again." if en else
                 "Dit formulier is verlopen. Verstuur uw melding opnieuw.")
        return render_template("feedback.html", **page, error=error, message=message, contact=contact), 400
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
