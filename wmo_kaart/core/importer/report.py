"""The import report in words: every sheet, column, row and change, with the file's own names."""

from __future__ import annotations

from ..schema import BY_NAME, PRECISIONS
from .convert import ImportReport


# Columns the importer reads that are no field of the data contract: they feed another field.
INPUT_LABELS = {"kvk": "KvK-nummer", "lat": "Breedtegraad", "lon": "Lengtegraad", "x": "X (RD)", "y": "Y (RD)",
                "lot": "Perceel (bij het nummer van de deelovereenkomst)", "agb": "AGB-code vestiging (sleutel)"}


def field_label(name: str) -> str:
    """Return the Dutch label of a field (for the places where the file has no column for it)."""
    return BY_NAME[name].nl if name in BY_NAME else INPUT_LABELS.get(name, name)


def precision_label(key: str) -> str:
    """Return how a position was found, in Dutch ('midden van de plaats'); an unknown key as it is."""
    return PRECISIONS.get(key, (key,))[0]


def column_of(sheets: list[dict], name: str) -> str:
    """Return the file's own header that fed field `name` (sheets as in the report's JSON), or its Dutch label."""
    for sheet in sheets:
        for column in sheet["columns"]:
            if column["field"] == name:
                return column["header"]
    return field_label(name)


def sheet_lines(report: ImportReport) -> list[str]:
    lines = []
    for sheet in report.sheets:
        name = f"Werkblad '{sheet.name}'" if sheet.name else "Bestand"
        if not sheet.read:
            lines.append(f"{name}: overgeslagen ({sheet.reason}); {sheet.values} waarde(n) niet gelezen.")
            continue
        lines.append(f"{name}: kopregel in rij {sheet.header_row}"
                     + (f", groepskoppen in rij {sheet.group_row}" if sheet.group_row else "") + ".")
        if sheet.hidden_rows:
            lines.append(f"  verborgen rij(en) {', '.join(map(str, sheet.hidden_rows[:20]))}"
                         f"{' …' if len(sheet.hidden_rows) > 20 else ''}: wel ingelezen (in Excel verborgen of weggefilterd)")
        if sheet.hidden_columns:
            lines.append(f"  verborgen kolom(men) {', '.join(sheet.hidden_columns)}: wel ingelezen")
        if sheet.merged:
            lines.append(f"  {sheet.merged} cel(len) van samengevoegde cellen kregen de waarde van hun samenvoeging")
        for title in sheet.title_rows:
            lines.append(f"  rij {title['row']}: titelregel, niet geïmporteerd: {' | '.join(title['cells'])}")
        for total in sheet.totals_rows:
            lines.append(f"  rij {total['row']}: totaalregel, niet geïmporteerd: {' | '.join(total['cells'])}")
        for c in sheet.columns:
            head = f"'{c.header}'" if c.header else f"kolom {c.letter} (zonder kopregel)"
            samples = ", ".join(c.samples)
            if c.field:
                lines.append(f"  {head} -> {field_label(c.field)}{' (met de hand gekoppeld)' if c.by_hand else ''}")
            else:
                lines.append(f"  {head} -> GENEGEERD, {c.values} waarde(n), bijvoorbeeld: {samples or '-'}")
    return lines


def change_lines(report: ImportReport) -> list[str]:
    change = report.change
    if not change:
        return []
    sheets = [sheet.as_dict() for sheet in report.sheets]
    lines = [f"Wijziging: {change['before']} -> {change['after']} locaties; {len(change['added'])} nieuw, "
             f"{len(change['removed'])} verdwijnen, {change['unchanged']} ongewijzigd."]
    for name, refs in change["changed"].items():
        lines.append(f"  {column_of(sheets, name)}: {len(refs)} waarde(n) gewijzigd")
    for name, refs in change["emptied"].items():
        lines.append(f"  {column_of(sheets, name)}: {len(refs)} waarde(n) LEEGGEMAAKT ({', '.join(r['id'] for r in refs[:5])})")
    if change["moved"]:
        lines.append(f"  Positie: {len(change['moved'])} locatie(s) verplaatst")
    if change["removed"]:
        lines.append(f"  Verdwijnen: {', '.join(r['id'] for r in change['removed'][:10])}{' …' if len(change['removed']) > 10 else ''}")
    return lines


def report_lines(report: ImportReport) -> list[str]:
    """Return the whole report as lines of Dutch text."""
    lines = sheet_lines(report)
    for e in report.errors:
        where = (f"werkblad '{e.sheet}', " if e.sheet else "") + (f"rij {e.row}" if e.row else "bestand")
        lines.append(f"{where}, kolom '{e.column}': {e.message}" if e.column else f"{where}: {e.message}")
    for c in report.combined_rows:
        lines.append(f"rij {c['row']} samengevoegd met rij {c['into_row']} (zelfde locatie {c['id']})")
    for n in report.notes:
        where = (f"werkblad '{n['sheet']}', " if n["sheet"] else "") + f"rij {n['row']}"
        lines.append(f"LET OP {where}, kolom '{n['column']}': {n['message']}")
    for e in report.ended:
        lines.append(f"rij {e['row']}: deelovereenkomst {e['contract_id'] or '(zonder nummer)'} van {e['id']} is beëindigd "
                     f"op {e['end']}; telt niet mee")
    for q in report.questions:
        lines.append(f"VRAAG rij {q['row']}: is '{q['row_label']}' dezelfde locatie als {q['stored_id']} "
                     f"'{q['stored_label']}' ({q['reason']})? Antwoord met --zelfde {q['id']}={q['stored_id']} "
                     f"of --zelfde {q['id']}=apart; tot dan is het een nieuwe locatie.")
    for key, count in report.precision.items():
        lines.append(f"Positie van {count} locatie(s): {precision_label(key)}")
    lines.extend(change_lines(report))
    count = report.accounting()
    lines.append(f"Rijen: {count['rows']} = {count['accepted']} locatie(s) + {count['combined']} samengevoegd + "
                 f"{count['rejected']} afgewezen.")
    lines.append(f"Geaccepteerd: {len(report.features)}  Afgewezen: {report.rejected}  Gegeocodeerd: {report.geocoded}")
    return lines
