"""Routing: one Dash app; each page's layout checks the role on the server."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html
from flask import abort, redirect, request

from auth import current_role
from ...core import access
from ...i18n import language_of_query, t
from . import coverage_page, map_page

# path -> (the capability it needs, its layout)
PAGES = {
    "/": ("public_map", map_page.public_layout),
    "/pro": ("pro_map", map_page.pro_layout),
    "/dekking": ("coverage", coverage_page.coverage_layout),
}


def forbidden(path: str, lang: str) -> html.Div:
    """Return the page shown when the role may not open `path`."""
    return html.Div([
        html.H1(t("no_access", lang)),
        html.P(t("no_access_text", lang)),
        html.A(t("login_short", lang), href=f"/login?next={path}"),
    ], className="page-message")


def not_found(lang: str) -> html.Div:
    return html.Div([html.H1(t("page_not_found", lang)), html.A(t("to_map", lang), href="/")],
                    className="page-message")


def render(pathname: str | None, search: str | None):
    """Return the layout of the page at `pathname` for the current role."""
    pathname = pathname if isinstance(pathname, str) else "/"
    search = search if isinstance(search, str) else ""
    entry = PAGES.get(pathname)
    lang = language_of_query(search)
    if entry is None:
        return not_found(lang)
    capability, layout = entry
    role = current_role()
    if not access.may(role, capability):
        return forbidden(pathname, lang)
    return layout(role, search)


def guard():
    """Send visitors without the right role away before the page shell is even served."""
    entry = PAGES.get(request.path)
    if request.method != "GET" or entry is None:
        return None
    role = current_role()
    if access.may(role, entry[0]):
        return None
    if role == access.ANONYMOUS:
        return redirect(f"/login?next={request.path}")
    abort(403)


def init_app(app: dash.Dash) -> None:
    """Set the shell layout and register every page's callbacks on `app`."""
    app.server.before_request(guard)
    app.layout = html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        dcc.Store(id="page-title"),
        html.Div(id="page", className="page"),
    ])

    # a distinct title per page, for tabs, history and screen readers
    app.clientside_callback(
        """function(pathname, search) {
            var en = /(^|[?&])lang=en(&|$)/.test(search || "");
            var names = en ? {"/": "Map", "/pro": "Map for professionals", "/dekking": "Coverage and spread", "/beheer": "Data management"}
                           : {"/": "Kaart", "/pro": "Kaart voor professionals", "/dekking": "Dekking en spreiding", "/beheer": "Beheer"};
            var name = names[pathname] || (en ? "Page not found" : "Pagina niet gevonden");
            document.title = name + " · Wmo-kaart";
            return window.dash_clientside.no_update;
        }""",
        Output("page-title", "data"), Input("url", "pathname"), Input("url", "search"))

    @app.callback(Output("page", "children"), Input("url", "pathname"), State("url", "search"))
    def _route(pathname, search):
        return render(pathname, search)

    map_page.register(app)
    coverage_page.register(app)
