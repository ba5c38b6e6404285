"""Villages on the map over HTTP: the café form, the CSV import, the public map and reach, and
the GeoJSON download and command."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import jsonschema
from sqlmodel import select

from app import cli_export
from app.models import Cafe, CafeTable, Process
from app.services import cafes as cafe_service
from app.services import dashboard as dashboard_service
from app.services import publishing as publishing_service
from tests.app.helpers import export_args, message, shows
from tests.app.test_planning import BUS_NOTES, add_notes, add_phones, add_theme
from tests.builders import CafeSetup, csrf_from, log_in, make_cafe, make_leader

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "geojson-featurecollection.schema.json").read_text())


def cafe_of(session, cafe_id) -> Cafe:
    session.expire_all()
    return session.get(Cafe, cafe_id)


def form(csrf, **fields):
    data = {"csrf_token": csrf, "village": "Bastuträsk", "venue": "", "municipality": "", "date": "2026-03-10",
            "table_count": "4", "question": ["Vad är bra här?"], "minutes": ["20"]}
    return data | fields


# --- the café form ------------------------------------------------------------------------------

def test_a_cafe_gets_its_location_and_inhabitants_on_its_form(client, session):
    setup = make_cafe(session, make_leader(session))
    csrf = log_in(client)
    done = client.post(f"/leader/processes/{setup.process_id}/cafes/new",
                       data=form(csrf, latitude="64,789", longitude="20.036", population="1 250"), follow_redirects=False)
    assert done.status_code == 303, done.text
    cafe = cafe_of(session, int(done.headers["location"].rsplit("/", 1)[1]))
    assert (cafe.latitude, cafe.longitude, cafe.population) == (64.789, 20.036, 1250)
    edit = client.get(f"/leader/cafes/{cafe.id}/edit").text
    assert 'value="64.789"' in edit and 'value="20.036"' in edit and 'value="1250"' in edit
    cleared = client.post(f"/leader/cafes/{cafe.id}/edit", data=form(csrf, latitude="", longitude="", population=""))
    assert cleared.status_code == 200  # followed to the café page
    cafe = cafe_of(session, cafe.id)
    assert (cafe.latitude, cafe.longitude, cafe.population) == (None, None, None)


def test_a_latitude_out_of_range_is_refused_in_swedish_and_nothing_is_saved(client, session):
    setup = make_cafe(session, make_leader(session))
    csrf = log_in(client)
    before = cafe_service.cafes_of(session, session.get(Process, setup.process_id))
    for fields, code in [({"latitude": "95", "longitude": "20"}, "latitude"),
                         ({"latitude": "64,8", "longitude": ""}, "location_half"),
                         ({"population": "tolv"}, "population")]:
        response = client.post(f"/leader/processes/{setup.process_id}/cafes/new", data=form(csrf, **fields))
        assert response.status_code == 422
        assert shows(response, message(code, "sv")), code
    assert 'value="tolv"' in response.text  # what was typed stays in the form
    assert "Latitud är ett antal grader från -90 till 90" in message("latitude", "sv")
    session.expire_all()
    assert len(cafe_service.cafes_of(session, session.get(Process, setup.process_id))) == len(before)
    # editing an existing café with a bad value leaves it as it was
    response = client.post(f"/leader/cafes/{setup.cafe_id}/edit",
                           data=form(csrf, village="Nytt namn", latitude="64", longitude="200"))
    assert response.status_code == 422 and shows(response, message("longitude", "sv"))
    assert cafe_of(session, setup.cafe_id).village == "Hallen"


# --- the CSV import -----------------------------------------------------------------------------

def two_cafes(session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    process = session.get(Process, setup.process_id)
    other = cafe_service.create_cafe(session, process=process, village="Kusfors", venue="", on=setup_date(),
                                     table_count=2, rounds=cafe_service.rounds_of(session, cafe_of(session, setup.cafe_id)))
    return setup, other.id


def setup_date():
    return date(2026, 4, 1)


def upload(client, process_id, content: bytes, name="byar.csv"):
    page = client.get(f"/leader/processes/{process_id}/villages")
    return client.post(f"/leader/processes/{process_id}/villages", data={"csrf_token": csrf_from(page.text)},
                       files={"file": (name, content, "text/csv")})


def test_an_excel_csv_sets_the_villages_of_the_process(client, session):
    setup, kusfors = two_cafes(session)
    log_in(client)
    content = ("\ufeffBy;Latitud;Longitud;Invånare\r\nhallen;64,80;20,01;320\r\nKusfors;64,938;19,867;\r\n"
               "Långträsk;65,1;19,9;90\r\n")
    response = upload(client, setup.process_id, content.encode("utf-8"))
    assert response.status_code == 200, response.text
    assert "2 kaféer uppdaterades." in response.text and "Långträsk" in response.text
    hallen, other = cafe_of(session, setup.cafe_id), cafe_of(session, kusfors)
    assert (hallen.latitude, hallen.longitude, hallen.population) == (64.8, 20.01, 320)
    assert (other.latitude, other.longitude, other.population) == (64.938, 19.867, None)


def test_a_bad_file_says_which_lines_to_mend_in_swedish_and_changes_nothing(client, session):
    setup, kusfors = two_cafes(session)
    log_in(client)
    content = "by;latitud;longitud;invånare\nHallen;64,8;20,0;320\nKusfors;95,2;19,9;80\nLångträsk;65;19;tolv\n"
    response = upload(client, setup.process_id, content.encode("utf-8"))
    assert response.status_code == 422
    assert shows(response, "Filen lästes inte in, och inget ändrades:")
    assert shows(response, f"Rad 3: {message('latitude', 'sv')} (I filen: ”95,2”.)")
    assert shows(response, f"Rad 4: {message('population', 'sv')} (I filen: ”tolv”.)")
    assert cafe_of(session, setup.cafe_id).latitude is None  # line 2 was fine, but nothing is changed
    assert cafe_of(session, kusfors).population is None


def test_files_that_cannot_be_used_are_refused_with_their_reason(client, session):
    setup, _ = two_cafes(session)
    log_in(client)
    for content, code in [(b"", "file_missing"), (b"namn;kommun\nHallen;Norsj\xc3\xb6\n", "file_columns"),
                          (b"by;inv\xc3\xa5nare\nByn som inte finns;40\n", "file_no_match"),
                          (b"by;inv\xc3\xa5nare\n" + b"Hallen;40\n" * 120_000, "file_too_big"),
                          (b"by;inv\xc3\xa5nare\n" + b"A;1\n" * 6_000, "file_rows")]:
        response = upload(client, setup.process_id, content)
        assert response.status_code == 422 and shows(response, message(code, "sv")), code
    assert cafe_of(session, setup.cafe_id).population is None


def test_another_organisation_cannot_import_into_the_process(client, session):
    setup = make_cafe(session, make_leader(session))
    make_leader(session, email="other@example.se", organisation="Annan kommun")
    log_in(client, "other@example.se")
    assert client.get(f"/leader/processes/{setup.process_id}/villages").status_code == 404


# --- the public map and reach -------------------------------------------------------------------

def published_with_villages(session, *, municipalities="Norsjö kommun"):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    cafe = cafe_of(session, setup.cafe_id)
    process = session.get(Process, setup.process_id)
    process.municipalities = municipalities
    cafe.village, cafe.latitude, cafe.longitude, cafe.population = "Bastuträsk", 64.789, 20.036, 640
    session.add_all([process, cafe])
    session.commit()
    add_phones(session, setup, 32)
    add_theme(session, setup, add_notes(session, setup, BUS_NOTES + ["Buss på helger", "Bussar till skolan"]))
    publishing_service.set_published(session, process=process, published=True)
    return setup


def map_svg(page: str) -> str:
    return re.search(r'<svg [^>]*class="village-map".*?</svg>', page, re.S).group(0)


def test_the_dashboard_draws_the_villages_over_real_borders_with_the_same_figures_in_a_table(client, session):
    setup = published_with_villages(session)
    page = client.get(f"/p/{setup.process_id}?lang=sv").text
    root = ET.fromstring(map_svg(page))
    assert root.get("role") == "img" and root[0].text == "Karta över byarna där kaféerna hölls"
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) == 1  # Norsjö's border
    assert "Kommungränser: Statistiska centralbyrån (SCB)" in page
    assert f'<a href="/p/{setup.process_id}/by/{setup.cafe_id}" tabindex="-1">' in page
    table = page[page.index('id="map-table"'):]
    table = table[:table.index("</table>")]
    assert ">Bastuträsk</a>" in table and "<td>640</td>" in table and "<td>32</td>" in table
    assert "5,0&nbsp;%" in table  # 32 of 640
    # Notes per 100 inhabitants is a rate, not a share: 13 notes for 640 people, with a decimal comma.
    notes = len(BUS_NOTES) + 2
    assert f"<td>{notes}</td><td>{notes / 6.4:.1f} per 100 invånare</td>".replace(".", ",") in table
    english = table_of(client.get(f"/p/{setup.process_id}?lang=en").text, "map-table")
    assert f"<td>{notes / 6.4:.1f} per 100 inhabitants</td>" in english


def test_a_hidden_count_has_no_share_and_an_unknown_place_no_border(client, session):
    setup = published_with_villages(session, municipalities="Storsjöns kommun")
    add_phones(session, make_second_cafe(session, setup), 3)
    page = client.get(f"/p/{setup.process_id}?lang=sv").text
    assert "<path" not in map_svg(page)  # a made-up municipality: villages alone
    assert "Kommungränser" not in page
    assert "Inte med på kartan (läge saknas): Kusfors." in page
    # Kusfors' 3 phones are hidden, and so are Bastuträsk's 32 (the total minus them would give
    # the 3 back): neither village's share is shown. The process's total (35) is, with its share.
    villages = table_of(page, "map-table")
    assert "<td>32</td>" not in villages
    assert "<td>visas inte</td><td>visas inte</td>" in villages
    reach = table_of(page, "reach-table")
    assert "<td>725</td>" in reach and "<td>35</td><td>4,8&nbsp;%</td>" in reach  # 640 + 85 inhabitants


def table_of(page: str, table_id: str) -> str:
    table = page[page.index(f'id="{table_id}"'):]
    return table[:table.index("</table>")]


def make_second_cafe(session, setup) -> CafeSetup:
    process = session.get(Process, setup.process_id)
    cafe = cafe_service.create_cafe(session, process=process, village="Kusfors", venue="", on=setup_date(), table_count=1,
                                    rounds=cafe_service.rounds_of(session, cafe_of(session, setup.cafe_id)))
    cafe.population = 85
    session.add(cafe)
    session.commit()
    tables = list(session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id)))
    return CafeSetup(cafe_id=cafe.id, process_id=setup.process_id, tables=tables)


def test_the_village_page_shows_its_share_and_the_organisation_page_its_map(client, session):
    setup = published_with_villages(session)
    village = client.get(f"/p/{setup.process_id}/by/{setup.cafe_id}?lang=sv").text
    assert "<dt>Invånare</dt><dd>640</dd>" in village and "5,0&nbsp;%" in village
    assert f"<dd>{len(BUS_NOTES) + 2}</dd>" in village
    assert f"<dd>{(len(BUS_NOTES) + 2) / 6.4:.1f} per 100 invånare</dd>".replace(".", ",") in village
    organisation_id = session.get(Process, setup.process_id).organisation_id
    organisation = client.get(f"/o/{organisation_id}?lang=en").text
    assert 'role="img"' in organisation and "Villages on the map" in organisation and "5.0&nbsp;%" in organisation
    assert organisation.count('id="map-heading"') == 1
    assert "<" not in re.search(r"<title>(.*?)</title>", organisation, re.S).group(1)  # the page's own title


# --- GeoJSON --------------------------------------------------------------------------------------

def test_the_geojson_download_validates_and_reads_back_with_public_suppression(client, session):
    setup = published_with_villages(session)
    second = make_second_cafe(session, setup)
    add_phones(session, second, 3)
    log_in(client)
    full = client.get(f"/leader/processes/{setup.process_id}/export.geojson")
    assert full.status_code == 200 and full.headers["content-type"] == "application/geo+json"
    assert ".geojson" in full.headers["content-disposition"]
    collection = json.loads(full.content)
    jsonschema.validate(collection, SCHEMA)
    (feature,) = collection["features"]
    assert feature["geometry"]["coordinates"] == [20.036, 64.789]
    properties = feature["properties"]
    assert (properties["village"], properties["phones"], properties["notes"], properties["population"]) == (
        "Bastuträsk", 32, len(BUS_NOTES) + 2, 640)
    assert properties["themes"][0]["label"] == "Bussarna" and properties["themes"][0]["notes"] == len(BUS_NOTES) + 2
    assert collection["cafes_without_location"] == ["Kusfors 2026-04-01"]

    public = json.loads(client.get(f"/leader/processes/{setup.process_id}/export.geojson?public=1").content)
    jsonschema.validate(public, SCHEMA)
    board = dashboard_service.dashboard(session, session.get(Process, setup.process_id), language="sv")
    shown = {row.cafe.id: row.phones for row in board.cafes.rows}
    assert public["features"][0]["properties"]["phones"] == shown[setup.cafe_id]  # as the public page shows it
    assert public["public"] is True and public["features"][0]["properties"]["phones"] is None  # 3 + 32: hidden
    assert public["features"][0]["properties"]["phones_share"] is None


def test_the_export_page_offers_the_geojson(client, session):
    setup = make_cafe(session, make_leader(session))
    log_in(client)
    page = client.get(f"/leader/processes/{setup.process_id}/exports").text
    assert f'href="/leader/processes/{setup.process_id}/export.geojson"' in page
    assert f'href="/leader/processes/{setup.process_id}/export.geojson?public=1"' in page


def test_the_command_writes_geojson_and_names_the_cafes_left_out(session, tmp_path, monkeypatch, settings, capsys):
    setup = published_with_villages(session)
    make_second_cafe(session, setup)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "t" * 40)
    args = export_args(setup.process_id, "--format", "geojson", "--out", tmp_path / "byar.geojson", "--public")
    assert cli_export.run(args) == 0
    collection = json.loads((tmp_path / "byar.geojson").read_text())
    jsonschema.validate(collection, SCHEMA)
    assert collection["public"] is True and len(collection["features"]) == 1
    err = capsys.readouterr().err
    assert "1 cafés on the map (public: small counts hidden)" in err and "Kusfors 2026-04-01" in err
    args.cafe = setup.cafe_id
    assert cli_export.run(args) == 2 and "leave out --cafe" in capsys.readouterr().err
