"""User-interface text: Dutch first, English second."""

from __future__ import annotations

from urllib.parse import parse_qs

TEXT = {
    "title": ("Wmo-kaart: gecontracteerde zorgaanbieders", "Wmo map: contracted care providers"),
    "intro": ("Vind locaties van zorgaanbieders met een Wmo-contract in de regio's Brabant Noordoost-oost en Hart van Brabant.",
              "Find locations of care providers contracted under the Wmo in the regions Brabant Noordoost-oost and Hart van Brabant."),
    "demo": ("Demogegevens: alle aanbieders, locaties en personen op deze kaart zijn fictief.",
             "Demo data: all providers, locations and people on this map are fictional."),
    "filters": ("Filters", "Filters"),
    "care_type": ("Zorgvorm", "Care type"),
    "municipality": ("Gemeente", "Municipality"),
    "target_group": ("Doelgroep", "Target group"),
    "provider": ("Aanbieder", "Provider"),
    "search": ("Zoek op aanbieder, locatie of plaats", "Search by provider, location or town"),
    "all": ("Alle", "All"),
    "count": ("{n} van {total} locaties", "{n} of {total} locations"),
    "list": ("Locaties", "Locations"),
    "list_more": ("De eerste {shown} van {n} locaties staan hieronder; verfijn de filters om de rest te zien.",
                  "The first {shown} of {n} locations are listed; refine the filters to see the rest."),
    "none": ("Geen locaties gevonden. Pas de filters aan.", "No locations found. Change the filters."),
    "details": ("Details", "Details"),
    "details_hint": ("Kies een locatie op de kaart of in de lijst.", "Choose a location on the map or in the list."),
    "not_found": ("Deze locatie bestaat niet (meer).", "This location does not exist (any more)."),
    "map_label": ("Kaart met locaties; dezelfde locaties staan in de lijst.", "Map of locations; the same locations are in the list."),
    "legend": ("Legenda", "Legend"),
    "yes": ("ja", "yes"), "no": ("nee", "no"), "unknown": ("onbekend", "unknown"),
    "address": ("Adres", "Address"),
    "login": ("Inloggen voor professionals", "Log in for professionals"),
    "logout": ("Uitloggen", "Log out"),
    "skip": ("Naar de lijst met locaties", "Skip to the list of locations"),
    "basemap_credit": ("Kaartgegevens © Kadaster", "Map data © Kadaster"),
    "embed_title": ("Zoek ondersteuning in de buurt", "Find support nearby"),
    "finder_label": ("Postcode of plaats", "Postcode or place"),
    "finder_hint": ("Bijvoorbeeld 5341 AB, 5341 of Megen", "For example 5341 AB, 5341 or Megen"),
    "finder_button": ("Zoeken", "Search"),
    "sorted_from": ("Gesorteerd op afstand vanaf {label}.", "Sorted by distance from {label}."),
    "not_a_place": ("'{q}' is geen bekende postcode of plaats; er is gezocht op naam.",
                    "'{q}' is not a known postcode or place; searched by name instead."),
    "distance": ("Afstand", "Distance"),
    "keep": ("Zet op mijn lijst", "Add to my list"),
    "unkeep": ("Haal van mijn lijst", "Remove from my list"),
    "shortlist": ("Mijn lijst", "My list"),
    "shortlist_empty": ("Nog niets op uw lijst. Kies 'Zet op mijn lijst' bij een locatie.",
                        "Nothing on your list yet. Choose 'Add to my list' at a location."),
    "print": ("Lijst afdrukken", "Print the list"),
    "share": ("Link naar deze lijst", "Link to this list"),
    "accessibility": ("Toegankelijkheid", "Accessibility"),
    "care_types_all": ("Alle zorgvormen", "All care types"),
    "website": ("Website", "Website"),
    "phone": ("Telefoon", "Phone"),
    "your_location": ("Zoeklocatie", "Search location"),
    "more_filters": ("Filters", "Filters"),
    "pro_title": ("Wmo-kaart voor professionals", "Wmo map for professionals"),
    "logged_in_as": ("Ingelogd als {name} ({role})", "Logged in as {name} ({role})"),
    "change_password": ("Wachtwoord wijzigen", "Change password"),
    "to_bw": ("Naar BW-overzicht", "To the sheltered-housing overview"),
    "bw_title": ("Beschermd wonen: capaciteit en bezetting", "Sheltered housing: capacity and occupancy"),
    "bw_intro": ("Vertrouwelijk: alleen voor BW-consulenten, beleidsadviseurs en beheerders. Cijfers ouder dan "
                 "{days} dagen zijn gemarkeerd als verouderd. Op de kaart toont een gekleurde ring de bezetting; "
                 "de tekst staat in deze tabellen.",
                 "Confidential: for sheltered-housing consultants, policy advisers and data managers only. Figures "
                 "older than {days} days are marked out of date. On the map a coloured ring shows the occupancy; "
                 "the text is in these tables."),
    "bw_per_municipality": ("Totalen per gemeente", "Totals per municipality"),
    "bw_per_provider": ("Totalen per aanbieder", "Totals per provider"),
    "bw_per_location": ("Per locatie (hoogste bezetting eerst)", "Per location (highest occupancy first)"),
    "bw_locations": ("Aantal locaties", "Locations"),
    "bw_capacity": ("Capaciteit", "Capacity"),
    "bw_taken": ("Bezet", "Taken"),
    "bw_free": ("Vrij", "Free"),
    "bw_occupancy": ("Bezetting", "Occupancy"),
    "bw_as_of": ("Cijfers per", "Figures as of"),
    "stale": ("verouderd", "out of date"),
    "town": ("Plaats", "Town"),
    "location": ("Locatie", "Location"),
    "no_access": ("Geen toegang", "No access"),
    "no_access_text": ("Voor deze pagina moet u ingelogd zijn met een passende rol.",
                       "You need to be logged in with a suitable role for this page."),
    "login_short": ("Inloggen", "Log in"),
    "page_not_found": ("Pagina niet gevonden", "Page not found"),
    "to_map": ("Naar de kaart", "To the map"),
    # login, logout and password pages (auth/templates.py)
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
    "download": ("Download deze selectie:", "Download this selection:"),
}


def language(value) -> str:
    """Return 'en' when English is asked for, 'nl' for anything else (Dutch first)."""
    return "en" if value == "en" else "nl"


def language_of_query(query: str) -> str:
    """Return the language asked for by `lang=` in a query string ('?a=b&lang=en')."""
    return language((parse_qs((query or "").lstrip("?")).get("lang") or [None])[0])


def t(key: str, lang: str = "nl", **values) -> str:
    """Return the UI text `key` in `lang` ('nl' or 'en'), formatted with `values`."""
    nl, en = TEXT[key]
    return (en if lang == "en" else nl).format(**values)
