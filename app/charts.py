"""Bar charts for reports (PNG) and web pages (SVG), drawn with matplotlib off screen.

The same input gives the same bytes: no dates in the files and fixed ids in the SVG, so a chart
can be cached, compared in a test, or checked into a report's documentation unchanged.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")  # no display on a server; must come before anything draws
# Labels are what people wrote: "$" is a price or a typo, never TeX. With math parsing on, a
# name such as "Byn $$" stops the chart (and the page or report that holds it).
matplotlib.rcParams["text.parse_math"] = False
matplotlib.rcParams["text.usetex"] = False

from matplotlib.figure import Figure  # noqa: E402

BAR_COLOUR = "#1d5b79"  # contrast 7.6:1 against white (WCAG AA for graphics needs 3:1)
TEXT_COLOUR = "#1a1a1a"
MAX_LABEL = 45


def bar_chart_png(labels: Sequence[str], values: Sequence[float], title: str, *, dpi: int = 150) -> bytes:
    """A horizontal bar chart as PNG, for Word reports."""
    buffer = io.BytesIO()
    _figure(labels, values, title).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def bar_chart_svg(labels: Sequence[str], values: Sequence[float], title: str) -> str:
    """A horizontal bar chart as an inline <svg> element with a <title> and a <desc> that
    lists every value, so a screen reader gets the chart's content, not just its name."""
    return _cached_svg(tuple(labels), tuple(values), title)


# The public pages show the same few charts to everyone until the figures change, and matplotlib
# takes a tenth of a second or more a chart: the same figures are drawn once. A chart is about
# 15 kB, so the cache holds about 1 MB.
@functools.lru_cache(maxsize=64)
def _cached_svg(labels: tuple[str, ...], values: tuple[float, ...], title: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "bykafe", "svg.fonttype": "none"}):
        _figure(labels, values, title).savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE: the element is inlined in HTML
    svg = re.sub(r"\s*<metadata>.*?</metadata>|\s*<style[^>]*>.*?</style>", "", svg, flags=re.S)
    # The app's Content-Security-Policy (style-src 'self') ignores style="..." in inline SVG;
    # presentation attributes (fill="...") are not styles and are always applied.
    svg = re.sub(r'style="([^"]*)"', _presentation_attributes, svg)
    svg = _unique_ids(svg, _id(title))
    description = "; ".join(f"{label}: {_number(value)}" for label, value in zip(labels, values))
    svg = svg.replace("<svg", f'<svg role="img" aria-labelledby="{_id(title)}-title {_id(title)}-desc"', 1)
    head_end = svg.index(">") + 1
    return (
        svg[:head_end]
        + f'\n <title id="{_id(title)}-title">{escape(title)}</title>'
        + f'\n <desc id="{_id(title)}-desc">{escape(description)}</desc>'
        + svg[head_end:]
    )


def _figure(labels: Sequence[str], values: Sequence[float], title: str) -> Figure:
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    shown = [_shorten(label) for label in labels]
    height = 1.2 + 0.38 * max(len(labels), 1)
    figure = Figure(figsize=(7.0, height), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=12, color=TEXT_COLOUR)
    if not labels:
        axes.text(0.5, 0.5, "–", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    positions = range(len(labels))
    bars = axes.barh(positions, values, color=BAR_COLOUR, height=0.6)
    axes.set_yticks(list(positions), shown, fontsize=9, color=TEXT_COLOUR)
    axes.invert_yaxis()  # the first label on top, as in a table
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=9, color=TEXT_COLOUR)
    axes.set_xlim(0, max(max(values, default=0), 1) * 1.15)
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    return figure


def _presentation_attributes(match: re.Match[str]) -> str:
    pairs = (item.split(":", 1) for item in match[1].split(";") if ":" in item)
    return " ".join(f'{name.strip()}="{escape(value.strip(), quote=False)}"' for name, value in pairs)


def _unique_ids(svg: str, prefix: str) -> str:
    """Several charts on one page must not share element ids: drop the groups' ids and give
    the rest (clip paths, markers) the chart's prefix."""
    svg = re.sub(r'<g id="[^"]*"', "<g", svg)
    for old in set(re.findall(r' id="([^"]+)"', svg)):
        svg = svg.replace(f'id="{old}"', f'id="{prefix}-{old}"').replace(f"#{old})", f"#{prefix}-{old})")
        svg = svg.replace(f'href="#{old}"', f'href="#{prefix}-{old}"')
    return svg


def _shorten(label: str) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _id(title: str) -> str:
    """A stable element id from the title (two charts on one page need different titles)."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
    return f"chart-{slug or 'bar'}"

