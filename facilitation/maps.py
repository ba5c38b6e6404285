"""Villages on a map: the reach of the cafés, and how to draw and export them.

- Where villages lie and how many live there is read and checked in facilitation/village_data.py.
- The public map is an SVG drawn here from the vendored municipal borders (data/SOURCE.md), with
  no tile server: a simple equirectangular projection scaled by cos(latitude), which is true
  enough at the size of a municipality.
- The GeoJSON for the plan's GIS (RFC 7946: [longitude, latitude], WGS 84) is built here from
  plain village records; which counts it may show is decided by the caller (disclosure.py).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path

from facilitation.privacy import mask_personal_data
from facilitation.village_data import village_key

BORDERS = Path(__file__).parent / "data" / "municipalities.geojson"


# --- reach -----------------------------------------------------------------------------------

def share(count: int | None, population: int | None) -> float | None:
    """A count as a share of the population (0.12 for 12 %), or None when either is unknown or
    the count is not shown: a share must never give back a count the public pages hide."""
    if count is None or not population:
        return None
    return count / population


def population_by_municipality(villages: Iterable[tuple[str, str, int | None]]) -> dict[str, int | None]:
    """(municipality, village, population) of each café -> the municipality's villages' people.
    A village with several cafés counts once. None when a village's population is unknown: a
    share of a partial sum would overstate the reach."""
    people: dict[str, dict[str, int | None]] = {}
    for municipality, village, population in villages:
        known = people.setdefault(municipality, {})
        key = village_key(village)
        if population is not None or key not in known:
            known[key] = max(known.get(key) or 0, population or 0) or None
    totals: dict[str, int | None] = {}
    for municipality, populations in people.items():
        sizes = [p for p in populations.values() if p is not None]
        totals[municipality] = sum(sizes) if len(sizes) == len(populations) else None
    return totals


# --- the municipal borders -------------------------------------------------------------------

@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]  # polygons -> rings -> (lon, lat)


@lru_cache(maxsize=1)
def _municipalities() -> dict[str, Municipality]:
    data = json.loads(BORDERS.read_text(encoding="utf-8"))
    found = {}
    for feature in data["features"]:
        polygons = tuple(tuple(tuple((lon, lat) for lon, lat in ring) for ring in polygon)
                         for polygon in feature["geometry"]["coordinates"])
        municipality = Municipality(feature["properties"]["code"], feature["properties"]["name"], polygons)
        found[village_key(municipality.name)] = municipality
    return found


def find_municipality(name: str) -> Municipality | None:
    """The real municipality a name means: "Norsjö kommun", "Arvidsjaurs kommun" (genitive s),
    "Falu kommun" (Falun), "Göteborgs stad", "Region Gotland"; None for a name that is none."""
    key = village_key(name)
    for word in (" kommun", " stad"):
        key = key.removesuffix(word)
    key = key.removeprefix("region ").strip()
    known = _municipalities()
    for candidate in (key, key.removesuffix("s"), key + "n"):
        if candidate in known:
            return known[candidate]
    return None


# --- the map ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPlace:
    label: str
    latitude: float
    longitude: float
    phones: int | None  # None: the count is not shown (disclosure.py); drawn small and hollow
    href: str


@dataclass(frozen=True)
class VillageMap:
    svg: str  # the drawing: role="img" with a title and a description
    links: str  # the same size, laid over the drawing: a link on each village for pointer users
    width: float
    height: float
    borders: tuple[str, ...]  # the municipalities drawn, by name


WIDTH = 600  # viewBox units
MAX_HEIGHT = 720
PADDING = 36
R_MIN, R_MAX = 7.0, 30.0
# A link target 44 CSS px across on the narrowest phone (320 px at 200 % text: 256 px of map for 600 units).
LINK_RADIUS = 54.0
LABELS_UP_TO = 20  # with more villages, names crowd each other: the table names them


def draw_village_map(
    places: list[MapPlace], municipalities: list[Municipality], *, title: str, description: str, map_id: str = "map"
) -> VillageMap | None:
    """The villages as circles (area by phones) over their municipalities' borders, or alone
    when no municipality is known. None when no village has a location. Every text is escaped."""
    if not places:
        return None
    points = [(p.longitude, p.latitude) for p in places]
    outline = [point for m in municipalities for polygon in m.polygons for point in polygon[0]]
    lons, lats = zip(*(points + outline))
    # A lone village (or a few close together) still gets some land around it.
    south, north = _at_least(min(lats), max(lats), 0.3)
    west, east = _at_least(min(lons), max(lons), 0.6)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = min((WIDTH - 2 * PADDING) / ((east - west) * squeeze), (MAX_HEIGHT - 2 * PADDING) / (north - south))
    width = (east - west) * squeeze * scale + 2 * PADDING
    height = (north - south) * scale + 2 * PADDING

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return PADDING + (lon - west) * squeeze * scale, PADDING + (north - lat) * scale

    # Without borders the villages still need a ground to stand on.
    paths = [] if municipalities else [f'<rect width="{width:.0f}" height="{height:.0f}" rx="8" fill="#e8ede9"/>']
    for municipality in municipalities:
        d = " ".join(
            "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in (xy(lon, lat) for lon, lat in ring)) + " Z"
            for polygon in municipality.polygons for ring in polygon
        )
        paths.append(f'<path d="{d}" fill="#e8ede9" stroke="#6b7780" stroke-width="1.2" fill-rule="evenodd"/>')
    for municipality in municipalities:  # names over every border, so no border covers a name
        x, y = xy(*_label_point(municipality))
        paths.append(_text(municipality.name, x, y, size=15, colour="#4a5560", anchor="middle"))

    most = max((p.phones or 0 for p in places), default=0) or 1
    drawn = sorted(places, key=lambda p: -(p.phones or 0))  # small circles on top of large ones
    circles, labels, links = [], [], []
    for place in drawn:
        x, y = xy(place.longitude, place.latitude)
        if place.phones is None:
            circles.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{R_MIN}" fill="#ffffff" stroke="#0b5a4a" '
                           f'stroke-width="2.5" stroke-dasharray="3 2"/>')
            radius = R_MIN
        else:
            radius = R_MIN + (R_MAX - R_MIN) * math.sqrt(place.phones / most)
            circles.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#0b5a4a" fill-opacity="0.8" '
                           f'stroke="#ffffff" stroke-width="1.5"/>')
        if len(places) <= LABELS_UP_TO:
            left = x > width * 0.6  # names near the right edge go to the left of their circle
            labels.append(_text(place.label, x - radius - 4 if left else x + radius + 4, y + 5, size=17,
                                colour="#1b1f23", anchor="end" if left else "start"))
        links.append(f'<a href="{escape(place.href)}" tabindex="-1"><title>{escape(place.label)}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{LINK_RADIUS}" fill="transparent"/></a>')
    box = f'viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg"'
    svg = (
        f'<svg {box} role="img" aria-labelledby="{map_id}-title {map_id}-desc" class="village-map">'
        f'<title id="{map_id}-title">{escape(title)}</title><desc id="{map_id}-desc">{escape(description)}</desc>'
        + "".join(paths) + "".join(circles) + "".join(labels) + "</svg>"
    )
    overlay = f'<svg {box} aria-hidden="true" focusable="false" class="village-map-links">' + "".join(links) + "</svg>"
    return VillageMap(svg, overlay, round(width), round(height), tuple(m.name for m in municipalities))


def _at_least(low: float, high: float, span: float) -> tuple[float, float]:
    if high - low >= span:
        return low, high
    middle = (low + high) / 2
    return middle - span / 2, middle + span / 2


def _text(text: str, x: float, y: float, *, size: int, colour: str, anchor: str) -> str:
    # A white halo keeps a name readable over borders and circles.
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}" text-anchor="{anchor}" '
            f'stroke="#ffffff" stroke-width="4" paint-order="stroke" font-family="sans-serif">{escape(text)}</text>')


def _label_point(municipality: Municipality) -> tuple[float, float]:
    """The middle of the municipality's largest polygon's bounding box: good enough for a name."""
    ring = max((polygon[0] for polygon in municipality.polygons), key=len)
    lons, lats = zip(*ring)
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


# --- GeoJSON for the plan's GIS ----------------------------------------------------------------

@dataclass(frozen=True)
class GeoTheme:
    label: str
    notes: int | None  # None: not shown in a public file
    category: str | None
    response_status: str | None  # the municipality's response, in Swedish words
    response_text: str | None


@dataclass(frozen=True)
class GeoVillage:
    cafe_id: int
    village: str
    municipality: str
    cafe_date: date
    location: tuple[float, float] | None  # (latitude, longitude)
    population: int | None
    phones: int | None  # None: not shown in a public file
    notes: int | None
    themes: tuple[GeoTheme, ...] = ()


def feature_collection(villages: list[GeoVillage], *, process_name: str, public: bool) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946) with one Point per located café. Cafés without a
    location are named in the foreign member "cafes_without_location", which GIS programs skip.
    Every text is masked for personal data; in a public file the counts are as the caller
    decided them (None where hidden), and so are the shares."""
    def feature(v: GeoVillage, location: tuple[float, float]) -> dict:
        latitude, longitude = location
        phones_share, notes_share = share(v.phones, v.population), share(v.notes, v.population)
        return {
            "type": "Feature",
            "id": v.cafe_id,
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "village": mask_personal_data(v.village),
                "municipality": mask_personal_data(v.municipality),
                "cafe_date": v.cafe_date.isoformat(),
                "population": v.population,
                "phones": v.phones,
                "notes": v.notes,
                "phones_share": None if phones_share is None else round(phones_share, 4),
                "notes_share": None if notes_share is None else round(notes_share, 4),
                "themes": [
                    {"label": mask_personal_data(t.label), "notes": t.notes, "category": t.category,
                     "response": t.response_status,
                     "response_text": mask_personal_data(t.response_text) if t.response_text else None}
                    for t in v.themes
                ],
            },
        }

    return {
        "type": "FeatureCollection",
        "name": mask_personal_data(process_name),
        "public": public,
        "features": [feature(v, v.location) for v in villages if v.location is not None],
        "cafes_without_location": [
            f"{mask_personal_data(v.village)} {v.cafe_date.isoformat()}" for v in villages if v.location is None
        ],
    }
