"""Rebuild municipalities.geojson from the source file named in SOURCE.md (standard library only):

    python facilitation/data/make_municipalities.py swe-maps-kommun.geojson > facilitation/data/municipalities.geojson

Keeps each municipality's code and name, rounds coordinates to 3 decimals (about 100 m, far finer
than a map on a phone shows) and drops the points that rounding makes repeat."""

import json
import sys
from collections.abc import Iterator
from typing import Any

Ring = list[list[float]]  # [[longitude, latitude], ...], first point repeated last


def ring(points: Ring) -> Ring | None:
    kept: Ring = []
    for lon, lat in points:
        point = [round(lon, 3), round(lat, 3)]
        if not kept or kept[-1] != point:
            kept.append(point)
    return kept if len(kept) >= 4 else None


def polygons(geometry: dict[str, Any]) -> Iterator[list[Ring]]:
    found = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in found:
        rings = [r for r in map(ring, polygon) if r]
        if rings:
            yield rings


source = json.load(open(sys.argv[1], encoding="utf-8"))
features = [
    {"type": "Feature", "properties": {"code": f["properties"]["KnKod"], "name": f["properties"]["KnNamn"]},
     "geometry": {"type": "MultiPolygon", "coordinates": list(polygons(f["geometry"]))}}
    for f in sorted(source["features"], key=lambda f: f["properties"]["KnKod"])
]
json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, ensure_ascii=False, separators=(",", ":"))
sys.stdout.write("\n")
