"""The plain HTML pages of login, logout and password change (Dutch, or English with
`?lang=en`; no scripts)."""

from __future__ import annotations

from flask import render_template_string, request

from wmo_kaart.i18n import language, t

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

def lang() -> str:
    """Return the language of this request: English with `lang=en`, Dutch otherwise."""
    return language(request.values.get("lang"))


def tr(key: str, **values) -> str:
    """Return the UI text `key` in the request's language."""
    return t(key, lang(), **values)


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
