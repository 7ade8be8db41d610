"""The plain HTML pages of login, logout and password change (Dutch, or English with
`?lang=en`; no scripts)."""

from __future__ import annotations

from flask import render_template_string, request

PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · Wmo-kaart</title><link rel="stylesheet" href="/assets/wmo-kaart.css"></head>
<body><main class="page-message form-page">
<h1>{{ title }}</h1>
{% if message %}<p class="form-error" role="alert">{{ message }}</p>{% endif %}
{% if notice %}<p class="form-notice" role="status">{{ notice }}</p>{% endif %}
{% if fields %}
<form method="post" action="{{ action }}">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
  {% if next %}<input type="hidden" name="next" value="{{ next }}">{% endif %}
  {% if lang == 'en' %}<input type="hidden" name="lang" value="en">{% endif %}
  {% for name, label, kind, autocomplete in fields %}
  <label for="{{ name }}">{{ label }}</label>
  <input id="{{ name }}" name="{{ name }}" type="{{ kind }}" autocomplete="{{ autocomplete }}" required class="text-input">
  {% endfor %}
  <button type="submit" class="primary-button">{{ submit }}</button>
</form>
{% endif %}
<p><a href="/{{ '?lang=en' if lang == 'en' else '' }}">{{ back }}</a></p>
</main></body></html>"""

TEXT = {
    "login_title": ("Inloggen voor professionals", "Log in for professionals"),
    "login_submit": ("Inloggen", "Log in"),
    "username": ("Gebruikersnaam", "User name"),
    "password": ("Wachtwoord", "Password"),
    "failure": ("Gebruikersnaam of wachtwoord onjuist.", "User name or password incorrect."),
    "throttled": ("Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.",
                  "Too many failed attempts. Try again in 15 minutes."),
    "logout_title": ("Uitloggen", "Log out"),
    "logout_in": ("Gebruik de knop Uitloggen op de kaart.", "Use the Log out button on the map."),
    "logout_out": ("U bent niet ingelogd.", "You are not logged in."),
    "pw_title": ("Wachtwoord wijzigen", "Change password"),
    "pw_current": ("Huidig wachtwoord", "Current password"),
    "pw_new": ("Nieuw wachtwoord (minstens 12 tekens)", "New password (at least 12 characters)"),
    "pw_repeat": ("Herhaal het nieuwe wachtwoord", "Repeat the new password"),
    "pw_done": ("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd.",
                "Your password has been changed. Other sessions have ended."),
    "pw_wrong": ("Het huidige wachtwoord klopt niet.", "The current password is not correct."),
    "pw_mismatch": ("De nieuwe wachtwoorden zijn niet gelijk.", "The new passwords differ."),
    "pw_refused": ("Niet gewijzigd: {reason}.", "Not changed: {reason}."),
    "csrf_title": ("Verlopen formulier", "Expired form"),
    "csrf": ("Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw.",
             "The form has expired or is invalid (CSRF). Reload the page."),
    "back": ("Naar de openbare kaart", "To the public map"),
}


def lang() -> str:
    """Return the language of this request: English with `lang=en`, Dutch otherwise."""
    return "en" if request.values.get("lang") == "en" else "nl"


def tr(key: str, **values) -> str:
    """Return the text `key` in the request's language."""
    nl, en = TEXT[key]
    return (en if lang() == "en" else nl).format(**values)


def login_fields():
    return (("username", tr("username"), "text", "username"), ("password", tr("password"), "password", "current-password"))


def password_fields():
    return (("current_password", tr("pw_current"), "password", "current-password"),
            ("new_password", tr("pw_new"), "password", "new-password"),
            ("repeat_password", tr("pw_repeat"), "password", "new-password"))


def page(title: str, *, fields=(), submit: str = "", action: str = "", csrf_token: str = "",
         message: str = "", notice: str = "", next: str = "", status: int = 200):
    """Render a small form page."""
    return render_template_string(PAGE, title=title, fields=fields, submit=submit, action=action, lang=lang(),
                                  csrf_token=csrf_token, message=message, notice=notice, next=next,
                                  back=tr("back")), status
