"""User-interface text: Dutch first, English second."""

from __future__ import annotations

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
    "download": ("Download deze selectie:", "Download this selection:"),
}


def t(key: str, lang: str = "nl", **values) -> str:
    """Return the UI text `key` in `lang` ('nl' or 'en'), formatted with `values`."""
    nl, en = TEXT[key]
    return (en if lang == "en" else nl).format(**values)
