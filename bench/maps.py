"""Benchmark of the villages' map and the GeoJSON export: how long drawing takes, how large the
results are.

    .venv/bin/python -m bench.maps        (or: make bench-maps)

Writes var/bench/maps.json. Villages are placed at random (seeded) inside the chosen
municipalities' bounding boxes; what is timed is facilitation/maps.py alone (no server).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import date
from pathlib import Path

from facilitation import maps

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "maps.json"

CASES = {  # name: (municipalities, villages)
    "one municipality, 4 villages": (["Norsjö"], 4),
    "five municipalities, 25 villages": (["Norsjö", "Malå", "Skellefteå", "Lycksele", "Arvidsjaur"], 25),
    "fifteen municipalities of Västerbotten, 150 villages": (
        ["Nordmaling", "Bjurholm", "Vindeln", "Robertsfors", "Norsjö", "Malå", "Storuman", "Sorsele", "Dorotea",
         "Vännäs", "Vilhelmina", "Åsele", "Umeå", "Lycksele", "Skellefteå"], 150),
}


def _places(municipalities, count, rng):
    points = [p for m in municipalities for polygon in m.polygons for p in polygon[0]]
    lons, lats = zip(*points)
    return [maps.MapPlace(f"By {i}", rng.uniform(min(lats), max(lats)), rng.uniform(min(lons), max(lons)),
                          rng.choice([None, *range(5, 60)]), f"/p/1/by/{i}") for i in range(count)]


def _timed(call, repeat=30) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    rng = random.Random(3)
    started = time.perf_counter()
    maps._municipalities.cache_clear()
    maps.find_municipality("Norsjö")
    results = {"borders_load_ms": round((time.perf_counter() - started) * 1000, 1),
               "borders_file_kb": round(maps.BORDERS.stat().st_size / 1024), "cases": {}}
    for name, (names, count) in CASES.items():
        municipalities = [maps.find_municipality(n) for n in names]
        places = _places(municipalities, count, rng)
        drawn = maps.draw_village_map(places, municipalities, title="Karta", description="Byarna")
        villages = [maps.GeoVillage(i, p.label, "Norsjö", date(2026, 3, 10), (p.latitude, p.longitude), 500, p.phones, 20,
                                    tuple(maps.GeoTheme(f"Tema {t}", 7, "Boende", "Utreds", "Svar") for t in range(8)))
                    for i, p in enumerate(places)]
        geojson = json.dumps(maps.feature_collection(villages, process_name="Dialog", public=True), ensure_ascii=False,
                             indent=1).encode()
        results["cases"][name] = {
            "draw_ms_median": round(_timed(
                lambda: maps.draw_village_map(places, municipalities, title="K", description="B")  # noqa: B023 (called here)
            ), 2),
            "svg_kb": round((len(drawn.svg) + len(drawn.links)) / 1024, 1),
            "geojson_kb_8_themes_per_village": round(len(geojson) / 1024, 1),
        }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
