"""Post to Dash callbacks the way the browser does, with any input values we like."""

from __future__ import annotations

import json


def dependencies(client) -> list[dict]:
    """Return every callback the app publishes at /_dash-dependencies."""
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200
    return response.get_json()


def _outputs(dep: dict, values: dict) -> list | dict:
    spec = dep["output"]
    multi = spec.startswith("..")
    parts = spec.strip(".").split("...") if multi else [spec]
    outs = []
    for part in parts:
        cid, prop = part.rsplit(".", 1) if "{" not in part else (part[: part.rindex("}") + 1], part[part.rindex("}") + 2:])
        prop = prop.split("@")[0]
        if cid.startswith("{"):  # wildcard output: one entry per matched component
            pattern = json.loads(cid)
            matched = next((v for k, v in values.items() if k[0] == pattern.get("type")), [])
            outs.append([{"id": {**pattern, "id": mid}, "property": prop} for mid, _ in matched])
        else:
            outs.append({"id": cid, "property": prop})
    return outs if multi else outs[0]


def _items(specs: list[dict], values: dict) -> list:
    items = []
    for spec in specs:
        cid = spec["id"]
        if cid.startswith("{"):  # pattern-matching input: a list of matched components
            pattern = json.loads(cid)
            matched = values.get((pattern.get("type"), spec["property"]), [])
            items.append([{"id": {**pattern, "id": mid}, "property": spec["property"], "value": v}
                          for mid, v in matched])
        else:
            items.append({"id": cid, "property": spec["property"], "value": values.get((cid, spec["property"]))})
    return items


def post(client, dep: dict, values: dict | None = None, changed: list[str] | None = None, headers=None):
    """Post `values` ({(id, property): value}) to the callback `dep`; return the response."""
    values = values or {}
    body = {
        "output": dep["output"], "outputs": _outputs(dep, values),
        "inputs": _items(dep["inputs"], values), "state": _items(dep["state"], values),
        "changedPropIds": changed or [f"{i['id']}.{i['property']}" for i in dep["inputs"][:1]],
    }
    return client.post("/_dash-update-component", json=body, headers=headers or {})


def find(deps: list[dict], output_fragment: str) -> dict:
    """Return the callback whose output mentions `output_fragment`."""
    return next(d for d in deps if output_fragment in d["output"])


def text(response) -> str:
    """Return a callback response as JSON text without escapes, for substring checks."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def text_of(value) -> str:
    """Return the text content of a serialised Dash component tree, in document order."""
    if isinstance(value, str):
        return value + "\n"
    if isinstance(value, list):
        return "".join(text_of(v) for v in value)
    if isinstance(value, dict):
        return text_of(value.get("props", {}).get("children"))
    return ""
