"""CSV and XLSX for every API list (`?format=csv`, `?format=xlsx`), built with tablib. Nested
objects become dotted columns ("province.code"), lists are joined with "; "."""

import tablib
from rest_framework import renderers


def _plain(item):
    return ", ".join(f"{key}: {value}" for key, value in item.items() if value not in ("", None))


def _flatten(value, prefix=""):
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}{key}."))
        return out
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                named = item.get("code") or item.get("name") or item.get("id")
                # An object without a name (a survey's ranked demand, a funding commitment):
                # its values, as a reader writes them, not Python's notation.
                parts.append(str(named) if named else _plain(item))
            else:
                parts.append(str(item))
        return {prefix[:-1]: "; ".join(parts)}
    return {prefix[:-1]: "" if value is None else value}


def to_dataset(data):
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        data = [f.get("properties", {}) for f in data.get("features", [])]
    if isinstance(data, dict):
        data = [data]
    rows = [_flatten(item) for item in data or []]
    headers = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(h, "") for h in headers])
    return dataset


class _TablibRenderer(renderers.BaseRenderer):
    tablib_format = ""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            data = [data] if not isinstance(data, list) else data
        view = (renderer_context or {}).get("view")
        name = getattr(view, "export_name", None) or "export"
        if response is not None:
            response["Content-Disposition"] = f'attachment; filename="{name}.{self.format}"'
        exported = to_dataset(data).export(self.tablib_format)
        if isinstance(exported, str):
            # A byte-order mark so that Excel opens Urdu text correctly.
            return ("\ufeff" + exported).encode("utf-8")
        return exported


class CSVRenderer(_TablibRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    tablib_format = "csv"


class XLSXRenderer(_TablibRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"
    tablib_format = "xlsx"
