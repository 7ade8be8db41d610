"""Plain Flask pages for everyone: the printable handout, the embed-code builder and the
accessibility statement. They read data as the public role only."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from markupsafe import Markup

from ..core import access, finder, regions
from ..core.geocode import GeocodeError
from ..core.filters import LocationFilter, fit
from ..core.geography import area_rings_rd, district_labels, place_labels
from ..core.nearest import format_km, nearest
from ..core.reference import MUNICIPALITIES
from ..core.schema import address_line
from ..core.timefmt import local_date
from ..i18n import language, t
from . import role_view, services, urlstate
from .components import care_labels
from .svgmap import svg_map

bp = Blueprint("public_pages", __name__, template_folder="templates")


def _lang() -> str:
    return language(request.args.get("lang"))


@bp.route("/handout")
def handout():
    """Return the printable list of shortlisted locations (public fields only)."""
    lang, svc = _lang(), services()
    view = role_view(access.ANONYMOUS)
    asked = [i for i in dict.fromkeys(request.args.get("ids", "").split(",")) if urlstate.ID_RE.match(i)][: urlstate.MAX_SHORTLIST]
    ids = [i for i in asked if i in view.index]
    rows = view.loc[ids]
    origin = None
    q = request.args.get("q", "").strip()[:80]
    if q:
        try:
            origin = finder.locate(svc.geocoder, q)[0]
        except GeocodeError:
            origin = None
    if origin is not None and not rows.empty:
        rows = nearest(rows, origin.lat, origin.lon)
    en = lang == "en"
    desk = regions.desk_for(svc.settings.wmo_desk, regions.municipality_at(origin.lat, origin.lon) if origin else None)
    region = regions.region_at(origin.lat, origin.lon) if origin else None
    outside = set(rows.index[~regions.contracted_by(rows, region)]) if region and not rows.empty else set()
    asked_for = _asked(request.args, svc.catalog)
    items = [{
        "not_contracted": t("not_contracted", lang) if r.Index in outside else "",
        "name": r.name, "provider_name": r.provider_name,
        "address": address_line(r),
        "care": care_labels(r.care_types, svc.catalog, lang), "phone": r.phone, "website": r.website,
        "distance": format_km(int(r.distance_m), lang) if origin is not None else "",
        **_why(r, asked_for, svc.catalog, lang),
    } for r in rows.itertuples()]
    dataset = svc.store.current()
    versions = svc.store.versions()
    towns = [(lb.text, lb.lon, lb.lat) for lb in sorted(place_labels(svc.settings.boundaries_path), key=lambda lb: -lb.rank)
             if not lb.bold]
    svg = svg_map(rows, (origin.lat, origin.lon) if origin else None, outlines=svc.boundaries, labels=towns,
                  areas=area_rings_rd(), minor_labels=district_labels(),
                  label="Map with the numbered locations" if en else "Kaartje met de genummerde locaties")
    legend = [("number", "A location of your list; the number matches the list" if en else
               "Een locatie van uw lijst; het nummer hoort bij de lijst")]
    if origin:
        legend.append(("origin", f"Your search: {origin.label}" if en else f"Uw zoekopdracht: {origin.label}"))
    legend.append(("border", "Municipal border" if en else "Gemeentegrens"))
    legend.append(("area", "Postcode area (4 digits)" if en else "Postcodegebied (4 cijfers)"))
    published = versions[-1].published_at if versions else None
    return render_template(
        "handout.html", lang=lang, rows=items, title="My list of care providers" if en else "Mijn lijst met zorgaanbieders",
        intro=("Contracted Wmo care providers you chose on the Wmo map." if en else
               "Gecontracteerde Wmo-zorgaanbieders die u op de Wmo-kaart koos."),
        missing=t("handout_missing", lang, n=len(asked) - len(ids)) if len(asked) > len(ids) else "",
        print_label=t("print", lang), svg=Markup(svg), legend=legend, distance_label=t("distance", lang),
        phone_label=t("phone", lang), labels={k: t(k, lang) for k in (
            "fits_asked", "fits_target", "fits_specialisms", "fits_hours", "fits_email")}, empty=t("shortlist_empty", lang),
        footer=("Straight-line distances. Check with the provider whether a place is available."
                if en else "Afstanden hemelsbreed. Vraag bij de aanbieder na of er plek is."),
        data_date=(("Data as of " if en else "Gegevens van ") + local_date(published)) if published else "",
        demo=t("demo", lang) if dataset.meta.get("demo") else "",
        credit="Borders and names: CBS, CC-BY 4.0" if en else "Grenzen en namen: CBS, CC-BY 4.0",
        desk=(("Questions about support from the municipality? " if en else "Vragen over ondersteuning van de gemeente? ")
              + desk) if desk else "",
    )


def _asked(args, catalog) -> LocationFilter:
    """Return what the searcher asked for, from the handout's address (unknown values dropped)."""
    def many(key):
        return [v.strip() for raw in args.getlist(key)[:20] for v in raw.split(",")[:20] if v.strip()]
    return LocationFilter.from_values(
        care_types=[c.zfill(2) for c in many("zorgvorm") if c.zfill(2) in catalog.care_codes],
        target_groups=[c for c in many("doelgroep") if c in catalog.target_codes],
        specialisms=[s[:60] for s in many("specialisme")], wheelchair=args.get("rolstoel") == "ja")


def _why(row, asked: LocationFilter, catalog, lang: str) -> dict:
    """Return the facts that tell a reader why an option fits: what was asked and met, target groups,
    specialisms, opening hours, wheelchair access and e-mail."""
    met = fit(row, asked)
    targets = {term.code: term.label(lang) for term in catalog.target_groups}
    cares = {term.code: term.label(lang) for term in catalog.care_types}
    asked_met = ([cares.get(c, c) for c in met.care_types] + [targets.get(c, c) for c in met.target_groups]
                 + list(met.specialisms) + ([t("wheelchair_yes", lang)] if asked.wheelchair and met.wheelchair else []))
    def listed(values):
        return list(values) if isinstance(values, (list, tuple)) else []
    hours = row.opening_hours if isinstance(getattr(row, "opening_hours", None), str) else ""
    email = row.email if isinstance(getattr(row, "email", None), str) else ""
    wheelchair = {True: t("wheelchair_yes", lang), False: t("wheelchair_no", lang)}.get(met.wheelchair,
                                                                                       t("wheelchair_unknown", lang))
    return {"asked_met": ", ".join(asked_met),
            "targets": ", ".join(targets.get(c, c) for c in listed(getattr(row, "target_groups", ()))),
            "specialisms": ", ".join(listed(getattr(row, "specialisms", ()))),
            "hours": hours, "email": email, "wheelchair": wheelchair}


@bp.route("/embed/code")
def embed_code():
    """Build the <iframe> snippet for the chosen presets."""
    svc = services()
    state = urlstate.parse(request.query_string.decode("utf-8", "replace"), svc.catalog)
    query = urlstate.build(state)
    from . import public_base

    base = public_base() or "https://UW-KAARTADRES"  # never the visitor's Host header
    title = "Kaart met Wmo-zorgaanbieders" if state.lang != "en" else "Map of Wmo care providers"
    snippet = (f'<iframe src="{base}/embed{query}" title="{title}" data-wmo-kaart\n'
               f'        style="width:100%;height:760px;border:0" loading="lazy"></iframe>\n'
               f'<script src="{base}/assets/embed-resize.js" defer></script>')
    chosen = {"gemeente": state.gemeente[0] if state.gemeente else "", "zorgvorm": state.zorgvorm,
              "doelgroep": state.doelgroep[0] if state.doelgroep else "", "lang": state.lang, "theme": state.theme}
    return render_template("embed_code.html", lang="nl", title="Kaart insluiten op uw website",
                           municipalities=MUNICIPALITIES, care_types=svc.catalog.care_types,
                           target_groups=svc.catalog.target_groups, chosen=chosen, snippet=snippet,
                           preview=f"/embed{query}", unconfigured=public_base() is None)


STATEMENT_DATE = "28-11-2026"  # the date of our own latest audit; change it with the statement


@bp.route("/privacy")
def privacy():
    """The privacy statement: what is counted, what is not, and for how long (Dutch, or English with ?lang=en)."""
    from ..core.usage import EVENTS

    lang = _lang()
    settings = services().settings
    return render_template("privacy.html", lang=lang, title="Privacy statement" if lang == "en" else "Privacyverklaring",
                           organisation=_organisation(settings, lang), contact=settings.contact_email,
                           days=settings.usage_days, events=EVENTS)


def _organisation(settings, lang: str) -> str:
    return settings.organisation or ("The municipalities of Brabant Noordoost-oost and Hart van Brabant" if lang == "en"
                                     else "De gemeenten van Brabant Noordoost-oost en Hart van Brabant")


@bp.route("/toegankelijkheid")
def accessibility():
    """The accessibility statement (Dutch, or English with ?lang=en)."""
    lang = _lang()
    settings = services().settings
    return render_template("accessibility.html", lang=lang,
                           title="Accessibility statement" if lang == "en" else "Toegankelijkheidsverklaring",
                           organisation=_organisation(settings, lang),
                           contact=settings.contact_email, days=settings.response_days, statement_date=STATEMENT_DATE)
