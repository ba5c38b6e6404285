"""Every public page of a process together: no count hidden anywhere can be worked out, by sums
and differences, from all the counts shown anywhere (process page, each village page, the
organisation page and the charts on them)."""

import html
import re
from datetime import date

import numpy as np
import pytest
from sqlmodel import select

from app.models import Cafe, Participant, Process, Vote
from app.services import cafes as cafe_service
from app.services import publishing as publishing_service
from facilitation.disclosure import THRESHOLD
from facilitation.process import RoundPlan
from tests.app.test_planning import add_notes, add_phones, add_theme
from tests.builders import CafeSetup, make_cafe, make_leader

STORSJÖ, BERGBY = "Storsjö kommun", "Bergby kommun"

# Like the demo, with a small village and a trial café: village, municipality, phones, notes.
CAFES = [
    ("Hallen", STORSJÖ, 40, 40),
    ("Mörtsjön", STORSJÖ, 19, 4),
    ("Åsen", BERGBY, 25, 30),
    ("Åsen", BERGBY, 6, 7),  # a second evening in the same village
    ("Storsjöstrand", STORSJÖ, 1, 2),  # the trial café
]
# The process's own themes: notes per village café (index into CAFES).
PROCESS_THEMES = {"Kollektivtrafik": {0: 8, 1: 2, 2: 6}, "Skolan": {0: 3, 2: 2}, "Vägarna": {0: 7, 3: 1}}
# Themes of single cafés: café index, notes, dots in the harvest vote.
CAFE_THEMES = {"Bussarna": (0, 12, 3), "Badplatsen": (0, 3, 9), "Byskolan": (1, 4, 0), "Fibern": (2, 9, 14)}


@pytest.fixture
def region(session):
    """The process, the cafés' ids in CAFES order, and the organisation's id."""
    leader = make_leader(session)
    first = make_cafe(session, leader)
    process = session.get(Process, first.process_id)
    process.municipalities = f"{STORSJÖ}, {BERGBY}"
    setups = [first]
    for n, (village, municipality, _phones, _notes) in enumerate(CAFES):
        if n == 0:
            cafe = session.get(Cafe, first.cafe_id)
            cafe.village, cafe.municipality = village, municipality
            session.commit()
            continue
        cafe = cafe_service.create_cafe(
            session, process=process, village=village, venue="", on=date(2026, 12, n), table_count=2,
            rounds=[RoundPlan("Vad behövs?", 20)], municipality=municipality,
        )
        setups.append(CafeSetup(cafe_id=cafe.id, process_id=process.id, tables=cafe_service.tables_of(session, cafe)))
    notes = []
    for setup, (_village, _municipality, phones, count) in zip(setups, CAFES):
        add_phones(session, setup, phones)
        notes.append(add_notes(session, setup, [f"Inspel {i} från {setup.cafe_id}" for i in range(count)]))
    taken = [0] * len(CAFES)

    def take(index, n):
        taken[index] += n
        return notes[index][taken[index] - n: taken[index]]

    for label, per_cafe in PROCESS_THEMES.items():
        members = [note for index, n in per_cafe.items() for note in take(index, n)]
        add_theme(session, setups[0], members, label=label, cafe=False)
    taken = [0] * len(CAFES)
    for label, (index, n, dots) in CAFE_THEMES.items():
        theme = add_theme(session, setups[index], take(index, n), label=label)
        if dots:
            phone = session.exec(select(Participant).where(Participant.cafe_id == setups[index].cafe_id)).first()
            session.add(Vote(cafe_id=setups[index].cafe_id, participant_id=phone.id, theme_key=theme.key, dots=dots))
    session.commit()
    publishing_service.set_published(session, process=process, published=True)
    return process.id, [s.cafe_id for s in setups], process.organisation_id


# --- what an onlooker can read off the pages ------------------------------------------------

def number(text: str) -> int | None:
    text = html.unescape(text).strip()
    return None if text == "not shown" else int(text)


def participation_tables(page: str) -> dict[str, list[tuple[str, int | None, int | None]]]:
    """Each table on the process page: (row header, phones, notes), the "All" row included."""
    tables = {}
    for table_id, body in re.findall(r'<div class="participation" id="(\w+)">(.*?)</table>', page, re.S):
        rows = re.findall(r'<tr><th scope="row">(.*?)</th>\s*<td>(.*?)</td><td>(.*?)</td></tr>', body, re.S)
        tables[table_id] = [(header, number(phones), number(notes)) for header, phones, notes in rows]
    return tables


def chart_values(page_part: str) -> list[tuple[str, int]]:
    """What a chart says of its bars (its <desc>, which a screen reader reads)."""
    found = []
    for desc in re.findall(r"<desc [^>]*>(.*?)</desc>", page_part, re.S):
        for item in html.unescape(desc).split("; "):
            label, value = item.rsplit(": ", 1)
            found.append((label, int(value)))
    return found


def themes_on(page: str) -> list[tuple[str, int | None, int | None, list[tuple[str, int | None]]]]:
    """Each theme: label, notes, dots (None when the page shows no vote) and its notes per municipality."""
    found = []
    for block in re.findall(r'<li class="panel">(.*?)</li>', page, re.S):
        label = html.unescape(re.search(r"<h3>(.*?)</h3>", block).group(1))
        notes = number(re.search(r"Notes: (not shown|\d+)", block).group(1))
        dots = re.search(r"Dots in the vote: (not shown|\d+)", block)
        came_up = re.search(r"Came up in: (.*?)</p>", block)
        where = re.findall(r"(?:^|, )(.*?) \((not shown|\d+)\)", came_up.group(1)) if came_up else []
        found.append((label, notes, dots and number(dots.group(1)), [(html.unescape(m), number(n)) for m, n in where]))
    return found


def test_no_count_hidden_on_any_public_page_can_be_worked_out_from_the_counts_shown(client, region):
    process_id, cafe_ids, organisation_id = region
    index_of = {cafe_id: i for i, cafe_id in enumerate(cafe_ids)}
    seen: list[tuple[tuple, int | None]] = []  # (what the number is, as shown)

    page = client.get(f"/p/{process_id}?lang=en").text
    tables = participation_tables(page)
    for kind, table in (("village", "villages"), ("municipality", "municipalities")):
        for header, phones, notes in tables[table]:
            name = ("total",) if header == "All" else (kind, html.unescape(header))
            seen += [(("phones", *name), phones), (("notes", *name), notes)]
        section = re.search(rf'id="{table}">(.*?)</table>', page, re.S).group(1)
        seen += [(("phones", kind, label), value) for label, value in chart_values(section)]
    for header, phones, notes in tables["cafes"]:
        name = ("total",) if header == "All" else ("cafe", index_of[int(re.search(r"/by/(\d+)", header).group(1))])
        seen += [(("phones", *name), phones), (("notes", *name), notes)]
    for label, notes, _dots, where in themes_on(page):
        seen.append((("theme", label), notes))
        seen += [(("theme in", label, municipality), n) for municipality, n in where]

    for cafe_id in cafe_ids:
        village = client.get(f"/p/{process_id}/by/{cafe_id}?lang=en").text
        facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", village))
        i = index_of[cafe_id]
        seen += [(("phones", "cafe", i), number(facts["Phones that took part"])),
                 (("notes", "cafe", i), number(facts["Notes written"]))]
        for label, notes, dots, where in themes_on(village):
            seen += [(("theme", label), notes), (("dots", label), dots)]
            seen += [(("theme in", label, municipality), n) for municipality, n in where]

    organisation = client.get(f"/o/{organisation_id}?lang=en").text
    for phones, notes in re.findall(rf'<a href="/p/{process_id}">.*?</a></th><td>(.*?)</td><td>(.*?)</td>', organisation):
        seen += [(("phones", "total"), number(phones)), (("notes", "total"), number(notes))]
    seen += [(("phones", "total"), value) for _label, value in chart_values(organisation)]

    forms, truth = linear_forms()
    shown = [(name, value) for name, value in seen if value is not None]
    for name, value in shown:
        assert value == truth(forms[name]), f"{name} shows {value}"
    known = np.array([forms[name] for name, _ in shown])
    rank = np.linalg.matrix_rank(known)
    secret = {name for name, value in seen if value is None or 0 < truth(forms[name]) < THRESHOLD}
    derived = [name for name in secret if np.linalg.matrix_rank(np.vstack([known, forms[name]])) == rank]
    assert derived == [], f"worked out from the shown counts: {derived}"
    # As in the demo: the trial café's one phone is hidden, and so are Mörtsjön's 19, on every
    # page, else the total minus the others would give the trial café's back.
    assert {("phones", "cafe", 4), ("notes", "cafe", 4), ("notes", "cafe", 1), ("phones", "cafe", 1)} <= secret
    assert len(secret) >= 12 and len(shown) >= 25


def linear_forms():
    """Every number a page can show as a sum of the unknowns behind it: phones and notes per
    café, a process theme's notes per municipality, a café theme's notes and dots."""
    unknowns, values = [], []

    def unknown(key, value):
        unknowns.append(key)
        values.append(value)

    for i, (_v, _m, phones, notes) in enumerate(CAFES):
        unknown(("P", i), phones)
        unknown(("N", i), notes)
    for label, per_cafe in PROCESS_THEMES.items():
        for municipality in (STORSJÖ, BERGBY):
            unknown(("T", label, municipality), sum(n for i, n in per_cafe.items() if CAFES[i][1] == municipality))
    for label, (_i, notes, dots) in CAFE_THEMES.items():
        unknown(("K", label), notes)
        unknown(("D", label), dots)

    def form(keys):
        row = np.zeros(len(unknowns))
        for key in keys:
            row[unknowns.index(key)] = 1
        return row

    forms = {}
    for measure, letter in (("phones", "P"), ("notes", "N")):
        everyone = range(len(CAFES))
        forms[(measure, "total")] = form((letter, i) for i in everyone)
        for i in everyone:
            forms[(measure, "cafe", i)] = form([(letter, i)])
        for village in {c[0] for c in CAFES}:
            forms[(measure, "village", village)] = form((letter, i) for i in everyone if CAFES[i][0] == village)
        for municipality in (STORSJÖ, BERGBY):
            forms[(measure, "municipality", municipality)] = form((letter, i) for i in everyone if CAFES[i][1] == municipality)
    for label in PROCESS_THEMES:
        forms[("theme", label)] = form(("T", label, m) for m in (STORSJÖ, BERGBY))
        for municipality in (STORSJÖ, BERGBY):
            forms[("theme in", label, municipality)] = form([("T", label, municipality)])
    for label, (i, _notes, _dots) in CAFE_THEMES.items():
        forms[("theme", label)] = forms[("theme in", label, CAFES[i][1])] = form([("K", label)])
        forms[("dots", label)] = form([("D", label)])
    truth_vector = np.array(values, dtype=float)
    return forms, lambda row: int(round(row @ truth_vector))
