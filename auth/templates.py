"""The plain HTML pages of login, logout and password change (Dutch, no scripts)."""

from __future__ import annotations

from flask import render_template_string

PAGE = """<!doctype html>
<html lang="nl">
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
  {% for name, label, kind, autocomplete in fields %}
  <label for="{{ name }}">{{ label }}</label>
  <input id="{{ name }}" name="{{ name }}" type="{{ kind }}" autocomplete="{{ autocomplete }}" required class="text-input">
  {% endfor %}
  <button type="submit" class="primary-button">{{ submit }}</button>
</form>
{% endif %}
<p><a href="/">Naar de openbare kaart</a></p>
</main></body></html>"""


def page(title: str, *, fields=(), submit: str = "", action: str = "", csrf_token: str = "",
         message: str = "", notice: str = "", next: str = "", status: int = 200):
    """Render a small form page."""
    return render_template_string(PAGE, title=title, fields=fields, submit=submit, action=action,
                                  csrf_token=csrf_token, message=message, notice=notice, next=next), status


LOGIN_FIELDS = (("username", "Gebruikersnaam", "text", "username"),
                ("password", "Wachtwoord", "password", "current-password"))
PASSWORD_FIELDS = (("current_password", "Huidig wachtwoord", "password", "current-password"),
                   ("new_password", "Nieuw wachtwoord (minstens 12 tekens)", "password", "new-password"),
                   ("repeat_password", "Herhaal het nieuwe wachtwoord", "password", "new-password"))
