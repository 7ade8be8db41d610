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
    "list_more": ("{shown} van {n} locaties staan hieronder; 'Toon meer locaties' onder de lijst laat de volgende zien.",
                  "{shown} of {n} locations are listed below; 'Show more locations' below the list shows the next ones."),
    "list_more_button": ("Toon meer locaties", "Show more locations"),
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
    "specialism": ("Specialisme", "Specialism"),
    "only_wheelchair": ("Alleen rolstoeltoegankelijk", "Wheelchair accessible only"),
    "from_label": ("Afstand vanaf (postcode of plaats)", "Distance from (postcode or place)"),
    "from_placeholder": ("bijvoorbeeld 5351 of Berghem", "for example 5351 or Berghem"),
    "pro_shortlist_empty": ("Nog niets op de lijst. Kies een locatie en dan 'Zet op mijn lijst'.",
                            "Nothing on the list yet. Choose a location, then 'Add to my list'."),
    "contact": ("Contactpersoon", "Contact person"),
    "show_map": ("Toon de kaart", "Show the map"),
    "skip_shortlist": ("Naar mijn lijst", "Skip to my list"),
    "added": ("{name} staat op uw lijst ({n}).", "{name} is on your list ({n})."),
    "removed": ("{name} is van uw lijst gehaald ({n}).", "{name} was removed from your list ({n})."),
    "wheelchair_yes": ("Rolstoeltoegankelijk", "Wheelchair accessible"),
    "wheelchair_no": ("Niet rolstoeltoegankelijk", "Not wheelchair accessible"),
    "basemap_credit": ("Kaartgegevens © Kadaster", "Map data © Kadaster"),
    "contracts": ("Contracten", "Contracts"),
    "report_mistake": ("Meld een fout in deze gegevens", "Report a mistake in these details"),
    "legend_rings": ("Gekleurde ringen om een markering: de locatie biedt ook die zorgvormen",
                     "Coloured rings around a marker: the location offers those care types too"),
    "contract_ended": ("Contract beëindigd", "Contract ended"),
    "same_spot": ("{n} locaties op (bijna) hetzelfde adres", "{n} locations at (nearly) the same address"),
    "legend_same_spot": ("Een getal naast een markering: zoveel locaties liggen op dezelfde plek (zie de lijst)",
                         "A number beside a marker: that many locations lie at the same spot (see the list)"),
    "legend_contract_warning": ("Waarschuwingsteken naast een markering: contract beëindigd of loopt binnen 6 maanden af",
                                "Warning sign beside a marker: contract ended or ends within 6 months"),
    "contract_ending": ("Contract loopt binnen 6 maanden af", "Contract ends within 6 months"),
    "labels_credit": ("Grenzen en namen: CBS, CC-BY 4.0", "Borders and names: CBS, CC-BY 4.0"),
    "embed_title": ("Zoek ondersteuning in de buurt", "Find support nearby"),
    "search_title": ("Zoeken", "Search"),
    "apply_filters": ("Filters toepassen", "Apply filters"),
    "map_needs_js": ("De kaart heeft JavaScript nodig. De lijst toont dezelfde locaties, met hun adres en afstand.",
                     "The map needs JavaScript. The list shows the same locations, with their address and distance."),
    "show_list": ("Toon de lijst", "Show the list"),
    "finder_label": ("Postcode of plaats", "Postcode or place"),
    "finder_hint": ("Bijvoorbeeld 5341 AB, 5341 of Megen", "For example 5341 AB, 5341 or Megen"),
    "finder_button": ("Zoeken", "Search"),
    "sorted_from": ("Gesorteerd op afstand vanaf {label}.", "Sorted by distance from {label}."),
    "cov_method": ("Zo is gerekend. Afstand: hemelsbreed, van een punt in elk postcodegebied naar de dichtstbijzijnde "
                   "passende locatie met een lopend contract van de eigen inkoopregio. 'Binnen 5 km' is het deel van de "
                   "inwoners voor wie dat zo is. De toegankelijkheidsscore (E2SFCA, in de downloads) telt per gebied de "
                   "locaties binnen bereik, volledig tot de eerste afstand, voor 68 % tot de tweede en voor 22 % tot de "
                   "derde, en deelt elke locatie met alle inwoners die er ook op aangewezen zijn: locaties per 10.000 "
                   "inwoners. Hoger is beter; 0 betekent niets binnen bereik.",
                   "How this was computed. Distance: straight-line, from a point in each postcode area to the nearest "
                   "suitable location with a contract in force of the area's own purchasing region. 'Within 5 km' is the "
                   "share of residents for whom that holds. The accessibility score (E2SFCA, in the downloads) counts the "
                   "locations within reach of each area, fully up to the first distance, 68 % up to the second and 22 % "
                   "up to the third, and shares each location with everyone who also depends on it: locations per "
                   "10,000 residents. Higher is better; 0 means nothing within reach."),
    "not_contracted": ("Niet gecontracteerd voor uw gemeente: vraag het Wmo-loket of u hier terecht kunt.",
                       "Not contracted for your municipality: ask the Wmo desk whether you can go here."),
    "own_region": ("U ziet de locaties die regio {region} heeft gecontracteerd: daar kunnen inwoners van deze plaats terecht.",
                   "You see the locations contracted by the region {region}: those are open to residents of this place."),
    "not_a_place": ("'{q}' is geen bekende postcode of plaats; er is gezocht op naam.",
                    "'{q}' is not a known postcode or place; searched by name instead."),
    "distance": ("Afstand", "Distance"),
    "keep": ("Zet op mijn lijst", "Add to my list"),
    "more_info": ("Meer informatie", "More information"),
    "privacy": ("Privacy", "Privacy"),
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
    "cov_title": ("Dekking en spreiding", "Coverage and spread"),
    "cov_intro": ("Hoe ver wonen inwoners van de dichtstbijzijnde passende locatie? Alle afstanden zijn hemelsbreed "
                  "(in een rechte lijn), gemeten vanaf een punt in elk postcodegebied; bevolking: CBS. Alleen locaties "
                  "met een lopend contract tellen mee.",
                  "How far do residents live from the nearest suitable location? All distances are straight-line "
                  "(as the crow flies), from a point inside each postcode area; population: CBS. Only locations "
                  "with a contract in force count."),
    "cov_thresholds": ("Afstandsgrenzen in km (komma-gescheiden)", "Distance thresholds in km (comma-separated)"),
    "cov_whatif": ("Wat als…", "What if…"),
    "cov_without": ("Laat deze aanbieders weg (contract stopt)", "Leave out these providers (contract ends)"),
    "cov_with_ended": ("Tel ook locaties met een beëindigd contract mee", "Also count locations whose contract has ended"),
    "handout_missing": ("{n} locatie(s) van uw lijst staan niet op deze hand-out: het contract is beëindigd of de "
                        "locatie staat niet meer op de kaart. Vraag uw Wmo-consulent of het Wmo-loket naar een alternatief.",
                        "{n} location(s) of your list are not on this handout: the contract has ended or the location is no "
                        "longer on the map. Ask your Wmo consultant or the Wmo desk for an alternative."),
    "fits_asked": ("Past bij uw vraag", "Fits what you asked"),
    "fits_target": ("Voor", "For"),
    "fits_specialisms": ("Specialismen", "Specialisms"),
    "fits_hours": ("Openingstijden", "Opening hours"),
    "fits_email": ("E-mail", "E-mail"),
    "wheelchair_unknown": ("Rolstoeltoegankelijkheid onbekend", "Wheelchair access unknown"),
    "not_for_client": ("Niet aan te bieden aan een cliënt: het contract is beëindigd.",
                       "Not to be offered to a client: the contract has ended."),
    "cov_months": ("Contracten die aflopen binnen (maanden)", "Contracts ending within (months)"),
    "cov_ending": ("Laat die contracten weg", "Leave those contracts out"),
    "cov_ending_done": ("{n} locaties met een contract dat afloopt vóór {date} zijn weggelaten.",
                        "{n} locations with a contract ending before {date} are left out."),
    "cov_add_hint": ("Klik op een gebied op de kaart om daar een denkbeeldige nieuwe locatie toe te voegen.",
                     "Click an area on the map to add a hypothetical new location there."),
    "cov_add_best": ("Voeg de beste nieuwe locatie toe", "Add the best new location"),
    "cov_reset": ("Wis de wat-als-keuzes", "Clear the what-if choices"),
    "cov_places": ("Aanbod = BW-plaatsen (vertrouwelijk)", "Supply = sheltered-housing places (confidential)"),
    "cov_now": ("Nu", "Now"), "cov_after": ("Na wijziging", "After the change"),
    "cov_region": ("Regio", "Region"),
    "cov_population": ("Inwoners", "Residents"), "cov_population65": ("Inwoners van 65+", "Residents aged 65+"),
    "cov_locations": ("Locaties", "Locations"),
    "cov_per10000": ("Per 10.000 inwoners", "Per 10,000 residents"),
    "cov_mean": ("Gemiddelde afstand (km, hemelsbreed)", "Mean distance (km, straight-line)"),
    "cov_within": ("Binnen {km} km", "Within {km} km"),
    "cov_map_label": ("Kaart: afstand hemelsbreed tot de dichtstbijzijnde passende locatie per postcodegebied; "
                      "dezelfde cijfers staan in de tabellen.",
                      "Map: straight-line distance to the nearest suitable location per postcode area; "
                      "the same figures are in the tables."),
    "cov_table": ("Per gemeente", "Per municipality"),
    "cov_sort": ("Sorteer de tabel op", "Sort the table by"),
    "cov_sort_name": ("naam", "name"), "cov_sort_population": ("inwoners (meeste eerst)", "residents (most first)"),
    "cov_sort_per10000": ("locaties per 10.000 inwoners (meeste eerst)", "locations per 10,000 residents (most first)"),
    "cov_sort_mean": ("gemiddelde afstand (kortste eerst)", "mean distance (shortest first)"),
    "cov_sort_within": ("aandeel binnen de eerste grens (hoogste eerst)", "share within the first threshold (highest first)"),
    "cov_bar": ("Aandeel inwoners binnen {km} km, per gemeente", "Share of residents within {km} km, per municipality"),
    "cov_hist": ("Inwoners naar afstand tot de dichtstbijzijnde locatie", "Residents by distance to the nearest location"),
    "cov_misses": ("Zoekopdrachten zonder resultaat binnen 15 km (afgelopen jaar)",
                   "Searches without a result within 15 km (past year)"),
    "cov_miss_row": ("{id}: {n} zoekopdracht(en) zonder passende locatie binnen 15 km",
                     "{id}: {n} search(es) without a suitable location within 15 km"),
    "cov_gaps": ("Gebieden verder dan {km} km (gaten)", "Areas further than {km} km (gaps)"),
    "cov_no_gaps": ("Geen gebieden verder dan {km} km.", "No areas further than {km} km."),
    "cov_gap_row": ("{id} ({municipality}): {population} inwoners, {km} km", "{id} ({municipality}): {population} residents, {km} km"),
    "cov_best": ("Eén extra locatie helpt het meest in gebied {id} ({municipality}): {n} inwoners komen dan binnen {km} km.",
                 "One more location helps most in area {id} ({municipality}): {n} more residents within {km} km."),
    "cov_best_none": ("Iedereen woont al binnen {km} km.", "Everyone already lives within {km} km."),
    "cov_downloads": ("Download de cijfers:", "Download the figures:"),
    "cov_report": ("afdrukbaar rapport (A4)", "printable report (A4)"),
    "cov_error": ("Deze keuze kan niet worden berekend: {message}", "This choice cannot be computed: {message}"),
    "cov_distance_km": ("Afstand (km)", "Distance (km)"),
    "cov_area": ("Gebied", "Area"),
    "cov_added_n": ("{n} denkbeeldige locatie(s) toegevoegd.", "{n} hypothetical location(s) added."),
    "cov_bw_title": ("Beschermd wonen: capaciteit en bezetting (vertrouwelijk)", "Sheltered housing: capacity and occupancy (confidential)"),
    "cov_bw_trend": ("Bezetting in de regio door de tijd", "Occupancy in the region over time"),
    "cov_bw_free": ("Waar nu plaatsen vrij zijn", "Where places are free now"),
    "cov_capacity": ("Capaciteit", "Capacity"), "cov_occupancy": ("Bezetting", "Occupancy"), "cov_free": ("Vrij", "Free"),
    "cov_pct": ("Bezet %", "Occupied %"),
    "cov_to_map": ("Naar de kaart", "To the map"),
    "back": ("Naar de openbare kaart", "To the public map"),
    "download": ("Download deze selectie:", "Download this selection:"),
}


def language(value) -> str:
    """Return 'en' when English is asked for, 'nl' for anything else (Dutch first)."""
    return "en" if value == "en" else "nl"


def language_of_query(query: str) -> str:
    """Return the language asked for by `lang=` in a query string ('?a=b&lang=en')."""
    return language((parse_qs((query or "").lstrip("?")).get("lang") or [None])[0])


DROPDOWN_LABELS = {
    "select_all": ("Alles kiezen", "Select all"), "deselect_all": ("Niets kiezen", "Deselect all"),
    "selected_count": ("{num_selected} gekozen", "{num_selected} selected"), "search": ("Zoeken", "Search"),
    "clear_search": ("Zoektekst wissen", "Clear search"), "clear_selection": ("Keuze wissen", "Clear selection"),
    "no_options_found": ("Niets gevonden", "No options found"),
}


def number(value, lang: str = "nl", decimals: int | None = None) -> str:
    """Return a number as people in `lang` write it: 1.234 and 4,82 in Dutch, 1,234 and 4.82 in English;
    '–' for nothing. Floats get two decimals unless `decimals` says otherwise."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float) or decimals is not None:
        text = f"{float(value):,.{2 if decimals is None else decimals}f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        return str(value)
    return text if lang == "en" else text.replace(",", "_").replace(".", ",").replace("_", ".")


def dropdown_labels(lang: str) -> dict[str, str]:
    """Return the texts of Dash's dropdowns in `lang` (Dash's own are English only)."""
    return {key: (en if lang == "en" else nl) for key, (nl, en) in DROPDOWN_LABELS.items()}


def t(key: str, lang: str = "nl", **values) -> str:
    """Return the UI text `key` in `lang` ('nl' or 'en'), formatted with `values`."""
    nl, en = TEXT[key]
    return (en if lang == "en" else nl).format(**values)
