"""Villages on a map: typed and imported values, reach, the SVG map and the GeoJSON, without a server."""

import json
import math
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from facilitation.maps import (
    R_MAX, R_MIN, GeoTheme, GeoVillage, MapPlace, draw_village_map, feature_collection, find_municipality,
    population_by_municipality, share,
)
from facilitation.process import PlanError
from facilitation.village_data import (
    VillageFileError, match_villages, parse_location, parse_population, read_village_file,
)

SVG = "{http://www.w3.org/2000/svg}"
SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "geojson-featurecollection.schema.json").read_text())


def refused(call) -> str:
    with pytest.raises(PlanError) as error:
        call()
    return error.value.code


# --- typed values -------------------------------------------------------------------------------

def test_a_location_is_read_with_a_decimal_comma_or_point():
    assert parse_location("64,91", " 19.48 ") == (64.91, 19.48)
    assert parse_location("-33,9", "\u221218,4") == (-33.9, -18.4)  # a typographic minus too
    assert parse_location("", "  ") is None


def test_a_location_out_of_range_or_not_a_number_is_refused_by_name():
    assert refused(lambda: parse_location("95", "19")) == "latitude"
    assert refused(lambda: parse_location("64", "190")) == "longitude"
    assert refused(lambda: parse_location("64°N", "19")) == "latitude"
    assert refused(lambda: parse_location("nan", "19")) == "latitude"
    assert refused(lambda: parse_location("64,9", "")) == "location_half"


def test_inhabitants_are_a_whole_number_from_one():
    assert parse_population("1 250") == 1250
    assert parse_population("") is None
    for bad in ("0", "12,5", "-4", "many", "99999999999"):
        assert refused(lambda bad=bad: parse_population(bad)) == "population"


# --- the CSV of villages --------------------------------------------------------------------------

def test_an_excel_csv_with_byte_order_mark_semicolons_and_decimal_commas_is_read():
    content = "\ufeffBy;Latitud;Longitud;Invånare\r\nBastuträsk;64,789;20,036;640\r\nKusfors;64,938;19,867;\r\n;;;\r\n"
    rows = read_village_file(content.encode("utf-8"))
    assert [(r.line, r.village, r.location, r.population) for r in rows] == [
        (2, "Bastuträsk", (64.789, 20.036), 640), (3, "Kusfors", (64.938, 19.867), None),
    ]


def test_a_windows_1252_file_with_commas_and_only_inhabitants_is_read():
    rows = read_village_file("village,population\nÅsbacka,780\n".encode("cp1252"))
    assert [(r.village, r.location, r.population) for r in rows] == [("Åsbacka", None, 780)]


def test_every_problem_in_a_file_is_named_with_its_line():
    content = "by;latitud;longitud;invånare\nA;64,1;19,2;12\nB;95;19;10\nC;64;19;tolv\nA;64;19;1\nD;64;;\n"
    with pytest.raises(VillageFileError) as error:
        read_village_file(content.encode())
    assert [(p.line, p.code, p.value) for p in error.value.problems] == [
        (3, "latitude", "95"), (4, "population", "tolv"), (5, "duplicate_village", "A"), (6, "location_half", "64"),
    ]


def test_decimal_commas_in_a_comma_separated_file_are_not_read_as_other_numbers():
    with pytest.raises(VillageFileError) as error:
        read_village_file(b"by,latitud,longitud\nAdak,65,333,18,6\nRok\xc3\xa5,\"65,2\",\"18,7\"\n")
    assert [(p.line, p.code) for p in error.value.problems] == [(2, "row_cells")]  # quoted cells are fine


@pytest.mark.parametrize(("content", "code"), [
    (b"", "file_empty"),
    (b"by;latitud\nA;64\n", "file_columns"),  # latitude without longitude
    (b"namn;kommun\nA;Norsj\xc3\xb6\n", "file_columns"),
    (b"by;invanare\n", "file_columns"),
    (b"by;inv\xc3\xa5nare\n", "file_empty"),
])
def test_a_file_without_the_columns_or_rows_it_needs_is_refused(content, code):
    with pytest.raises(VillageFileError) as error:
        read_village_file(content)
    assert [p.code for p in error.value.problems] == [code]


def test_rows_match_cafes_by_village_name_whatever_the_case_and_spacing():
    rows = read_village_file("by;invånare\nmörtsjön;230\nÅsbacka ;780\nLångträsk;90\n".encode())
    matched, unused = match_villages(rows, {1: "Mörtsjön", 2: "Åsbacka", 3: "Hallviken", 4: "Asbacka"})
    assert {cafe_id: row.population for cafe_id, row in matched.items()} == {1: 230, 2: 780}
    assert [row.village for row in unused] == ["Långträsk"]


# --- reach --------------------------------------------------------------------------------------

def test_a_share_is_given_only_for_a_shown_count_and_a_known_population():
    assert share(24, 410) == pytest.approx(0.0585, abs=1e-4)
    assert share(None, 410) is None  # the count is not shown: neither is its share
    assert share(24, None) is None
    assert share(0, 410) == 0


def test_a_municipality_counts_each_village_once_and_only_when_all_are_known():
    people = population_by_municipality([
        ("Norsjö", "Bastuträsk", 640), ("Norsjö", "Bastuträsk", 640), ("Norsjö", "Kusfors", 85),
        ("Malå", "Adak", 120), ("Malå", "Rökå", None),
    ])
    assert people == {"Norsjö": 725, "Malå": None}


# --- the borders --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "found"), [
    ("Norsjö kommun", "Norsjö"), ("Arvidsjaurs kommun", "Arvidsjaur"), ("Falu kommun", "Falun"),
    ("Göteborgs stad", "Göteborg"), ("Region Gotland", "Gotland"), ("borås", "Borås"), ("Storsjöns kommun", None),
])
def test_a_municipality_is_found_by_the_names_municipalities_call_themselves(name, found):
    municipality = find_municipality(name)
    assert (municipality.name if municipality else None) == found


def test_every_swedish_municipality_is_in_the_vendored_borders():
    from facilitation.maps import _municipalities

    known = _municipalities()
    assert len(known) == 290
    assert all(m.polygons and all(len(ring) >= 4 for polygon in m.polygons for ring in polygon) for m in known.values())


# --- the map ------------------------------------------------------------------------------------

def norsjo_places(phones=(40, 10, None)):
    return [
        MapPlace("Bastuträsk", 64.789, 20.036, phones[0], "/p/1/by/1"),
        MapPlace("Kusfors", 64.938, 19.867, phones[1], "/p/1/by/2"),
        MapPlace("Petiknäs", 64.733, 19.633, phones[2], "/p/1/by/3"),
    ]


def circles(svg: str) -> dict[tuple[float, float], ET.Element]:
    return {(float(c.get("cx")), float(c.get("cy"))): c for c in ET.fromstring(svg).iter(f"{SVG}circle")}


def test_no_map_without_a_located_village():
    assert draw_village_map([], [find_municipality("Norsjö")], title="t", description="d") is None


def test_the_map_names_itself_for_screen_readers_and_draws_the_borders():
    drawn = draw_village_map(norsjo_places(), [find_municipality("Norsjö")], title="Byarna", description="Cirklar")
    root = ET.fromstring(drawn.svg)
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title" and root[0].text == "Byarna"
    assert root.get("aria-labelledby") == f"{root[0].get('id')} {root[1].get('id')}"
    assert len(list(root.iter(f"{SVG}path"))) == 1 and drawn.borders == ("Norsjö",)
    assert len(circles(drawn.svg)) == 3


def test_circle_area_follows_the_phones_and_a_hidden_count_is_a_small_dashed_ring():
    drawn = draw_village_map(norsjo_places((40, 10, None)), [], title="t", description="d")
    big, small, hidden = sorted(circles(drawn.svg).values(), key=lambda c: -float(c.get("r")))
    assert float(big.get("r")) == R_MAX
    # area ∝ phones: (r − R_MIN) grows with the square root, so 10 phones get half of 40's extra radius
    assert float(small.get("r")) - R_MIN == pytest.approx((R_MAX - R_MIN) / 2, abs=0.1)
    assert float(hidden.get("r")) == R_MIN and hidden.get("stroke-dasharray") and hidden.get("fill") == "#ffffff"


def test_north_is_up_east_is_right_and_longitude_is_shortened_by_the_cosine_of_latitude():
    places = [MapPlace("Syd", 64.0, 20.0, 5, "/a"), MapPlace("Nord", 65.0, 20.0, 5, "/b"), MapPlace("Öst", 64.0, 21.0, 5, "/c")]
    drawn = draw_village_map(places, [], title="t", description="d")
    texts = {t.text: (float(t.get("x")), float(t.get("y"))) for t in ET.fromstring(drawn.svg).iter(f"{SVG}text")}
    assert texts["Nord"][1] < texts["Syd"][1] and texts["Öst"][1] == texts["Syd"][1]
    centres = circles(drawn.svg)  # centres, not labels: a label may sit on either side of its circle
    xs, ys = sorted({x for x, _ in centres}), sorted({y for _, y in centres})
    one_degree_east, one_degree_north = xs[1] - xs[0], ys[1] - ys[0]
    assert one_degree_east / one_degree_north == pytest.approx(math.cos(math.radians(64.5)), rel=1e-3)


def test_villages_lie_inside_their_municipality_on_the_map():
    norsjo = find_municipality("Norsjö")
    drawn = draw_village_map(norsjo_places(), [norsjo], title="t", description="d")
    path = next(ET.fromstring(drawn.svg).iter(f"{SVG}path")).get("d")
    xs, ys = zip(*((float(x), float(y)) for x, y in re.findall(r"([\d.]+) ([\d.]+)", path)))
    for x, y in circles(drawn.svg):
        assert min(xs) < x < max(xs) and min(ys) < y < max(ys)


def test_every_text_is_escaped():
    places = [MapPlace('<script>alert("x")</script> & Co', 64.8, 20.0, 7, '/p/1/by/1?"><script>')]
    drawn = draw_village_map(places, [], title="<b>Titel</b>", description="a & b")
    for svg in (drawn.svg, drawn.links):
        assert "<script>" not in svg and "<b>" not in svg
        ET.fromstring(svg)  # still well-formed XML
    assert '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co' in drawn.svg


def test_the_link_layer_links_each_village_for_pointer_users_only():
    drawn = draw_village_map(norsjo_places(), [], title="t", description="d")
    root = ET.fromstring(drawn.links)
    assert root.get("aria-hidden") == "true"
    links = list(root.iter(f"{SVG}a"))
    assert sorted(a.get("href") for a in links) == ["/p/1/by/1", "/p/1/by/2", "/p/1/by/3"]
    assert all(a.get("tabindex") == "-1" for a in links)  # the table beside the map has the same links


def test_a_lone_village_still_gets_land_around_it():
    drawn = draw_village_map([MapPlace("Adak", 65.33, 18.6, 12, "/a")], [], title="t", description="d")
    assert 200 < drawn.width <= 600 and 200 < drawn.height <= 720
    (x, y), = circles(drawn.svg)
    assert x == pytest.approx(drawn.width / 2, abs=1) and y == pytest.approx(drawn.height / 2, abs=1)


# --- GeoJSON --------------------------------------------------------------------------------------

def villages():
    themes = (GeoTheme("Bussen, ring 070-123 45 67", 12, "Kommunikationer", "Utreds", "Vi utreder."),
              GeoTheme("Skolan", None, None, None, None))
    return [
        GeoVillage(1, "Bastuträsk", "Norsjö", date(2026, 3, 10), (64.789, 20.036), 640, 24, 104, themes),
        GeoVillage(2, "Kusfors", "Norsjö", date(2026, 3, 18), None, 85, None, 7),
    ]


def test_geojson_has_a_point_per_located_cafe_in_longitude_latitude_order():
    collection = feature_collection(villages(), process_name="Dialog", public=False)
    jsonschema.validate(collection, SCHEMA)
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [20.036, 64.789]}
    assert feature["properties"]["village"] == "Bastuträsk"
    assert feature["properties"]["phones_share"] == pytest.approx(24 / 640, abs=1e-4)
    assert collection["cafes_without_location"] == ["Kusfors 2026-03-18"]


def test_geojson_masks_personal_data_and_reads_back_the_same():
    collection = feature_collection(villages(), process_name="Dialog", public=True)
    text = json.dumps(collection, ensure_ascii=False)
    assert "070-123 45 67" not in text
    themes = json.loads(text)["features"][0]["properties"]["themes"]
    assert [(t["notes"], t["category"], t["response"]) for t in themes] == [(12, "Kommunikationer", "Utreds"), (None, None, None)]


@pytest.mark.parametrize("coordinates", [[20.0, 95.0], ["20.0", "64.8"], [20.0]])
def test_the_schema_itself_refuses_points_that_are_not_geojson(coordinates):
    collection = feature_collection(villages(), process_name="Dialog", public=False)
    collection["features"][0]["geometry"]["coordinates"] = coordinates
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(collection, SCHEMA)
