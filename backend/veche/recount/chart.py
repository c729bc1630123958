"""An SVG chart of votes and seats per district, drawn by hand: no plotting library needed."""

from html import escape
from typing import Any

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
_ROW = 26
_LABEL = 180
_BAR = 360


def render_svg(result: dict[str, Any]) -> str:
    """Each district: one bar per list (length = share of the district's votes) with its
    votes and seats written next to it; excluded districts are marked."""
    labels = list(dict.fromkeys(row["name"] for d in result["districts"] for row in d["lists"]))
    colour = {label: _PALETTE[i % len(_PALETTE)] for i, label in enumerate(labels)}
    parts: list[str] = []
    y = 40
    for district in result["districts"]:
        title = f"{district['name']} — {district['seats']} seat(s)"
        if district["excluded"]:
            title += " — EXCLUDED"
        parts.append(f'<text x="10" y="{y}" font-weight="bold">{escape(title)}</text>')
        y += 8
        total = max(1, sum(row["votes"] for row in district["lists"]))
        for row in district["lists"]:
            y += _ROW
            width = round(_BAR * row["votes"] / total)
            parts.append(
                f'<text x="20" y="{y}">{escape(row["name"])}</text>'
                f'<rect x="{_LABEL}" y="{y - 14}" width="{width}" height="18" '
                f'fill="{colour[row["name"]]}"/>'
                f'<text x="{_LABEL + _BAR + 10}" y="{y}">{row["votes"]} votes, '
                f"{row['seats']} seat(s)</text>"
            )
        y += 30
    width = _LABEL + _BAR + 200
    heading = escape(f"{result['title']}: votes and seats per district")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
        f'font-family="sans-serif" font-size="14">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="10" y="20" font-size="16" font-weight="bold">{heading}</text>'
        + "".join(parts)
        + "</svg>\n"
    )
