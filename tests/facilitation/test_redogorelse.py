"""The samrådsredogörelse outline, without a database or a Word file."""

from dataclasses import replace

from facilitation.redogorelse import (
    APPENDIX, DEPARTMENTS, INTRODUCTION, VIEWS, Contents, Grid, Heading, Paragraph, municipalities_phrase, outline,
)
from facilitation.exports import SUGGESTED_NOTE
from facilitation.privacy import mask_personal_data
from tests.facilitation.test_exports import sample

# What the sample notes held before the app masked them when they were stored.
PERSONAL = ("070-123 45 67", "anna@example.se", "19650412-1234", "196504121234")


def texts(blocks) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            parts.append(block.text)
        elif isinstance(block, Grid):
            parts.extend(str(cell) for row in block.rows for cell in row)
    return "\n".join(parts)


def test_the_outline_runs_title_contents_introduction_views_departments_appendix():
    blocks = outline(sample())
    assert isinstance(blocks[0], Heading) and blocks[0].level == 0 and isinstance(blocks[1], Contents)
    assert [b.text for b in blocks if isinstance(b, Heading) and b.level == 1] == [
        INTRODUCTION, VIEWS, DEPARTMENTS, APPENDIX]


def test_each_theme_gets_a_heading_under_its_category_with_counts_villages_and_the_response():
    data = sample()
    blocks = outline(data)
    level_two = [b.text for b in blocks if isinstance(b, Heading) and b.level == 2]
    level_three = [b.text for b in blocks if isinstance(b, Heading) and b.level == 3]
    planned = [t for t in data.themes if not t.department]
    assert sorted(level_three) == sorted(t.label for t in planned)
    # The process's order of categories; Boende was only suggested for its theme, and says so.
    assert level_two[:2] == ["Boende (förslag)", "Kommunikationer"]
    assert SUGGESTED_NOTE in texts(blocks)
    start = next(i for i, b in enumerate(blocks) if b == Heading("Kollektivtrafik", 3))
    section = blocks[start:start + 8]
    labels = {b.label: b.text for b in section if isinstance(b, Paragraph) and b.label}
    assert labels["Antal: "].startswith("2 inspel · 1 by: Hallen (2)")
    assert labels["Status: "] and labels["Kommunens kommentar: "]


def test_a_written_summary_stands_in_for_the_quotes():
    data = sample()  # summaries arrive masked, as the app stores them
    theme = replace(data.themes[0], summary=mask_personal_data("Fler bussturer önskas. Kontakt 070-123 45 67."))
    data.themes[0] = theme
    blocks = outline(data)
    start = blocks.index(Heading(theme.label, 3))
    summary = blocks[start + 1]
    assert summary.label == "Sammanfattning: "
    assert summary.text.startswith("Fler bussturer önskas.") and "070-123 45 67" not in summary.text
    assert not any(b.style == "Quote" for b in blocks[start:start + 6] if isinstance(b, Paragraph))


def test_without_a_summary_approved_quotes_come_first():
    data = sample()
    theme = data.themes[0]
    data.themes[0] = replace(theme, public_quote_ids=(theme.note_ids[-1],), quote_ids=(theme.note_ids[0],))
    blocks = outline(data)
    start = blocks.index(Heading(theme.label, 3))
    quotes = [b.text for b in blocks[start:] if isinstance(b, Paragraph) and b.style == "Quote"]
    notes = {n.id: n.text for n in data.notes}
    assert quotes[0].startswith("”Ring mig på") and "070-123 45 67" not in quotes[0]
    assert quotes[1] == f"”{notes[theme.note_ids[0]]}”"


def test_no_personal_data_anywhere_and_every_note_in_the_appendix():
    data = sample()
    blocks = outline(data)
    every = texts(blocks)
    for planted in PERSONAL:
        assert planted not in every
    appendix = blocks[blocks.index(Heading(APPENDIX, 1)):]
    assert sum(len(b.rows) for b in appendix if isinstance(b, Grid)) == len(data.notes)


def test_notes_and_themes_for_other_departments_are_listed_there_not_among_the_views():
    data = sample()
    blocks = outline(data)
    departments = blocks.index(Heading(DEPARTMENTS, 1))
    section = blocks[departments:blocks.index(Heading(APPENDIX, 1))]
    assert Heading("Socialförvaltningen", 2) in section
    assert any(isinstance(b, Paragraph) and "inspel nr 4" in b.text for b in section)


def test_an_export_without_themes_says_so():
    data = replace(sample(), themes=[], votes=[], responses=[])
    blocks = outline(data)
    views = blocks.index(Heading(VIEWS, 1))
    assert blocks[views + 1] == Paragraph("Inspelen har ännu inte sorterats i teman.")


def test_quotes_that_repeat_a_chosen_one_give_way_to_other_views():
    data = sample()
    repeated = [
        replace(data.notes[0], id=10, text="Bussen går för sällan till Östersund (hela bordet håller med)"),
        replace(data.notes[0], id=11, text="bussen går för sälan till östersund"),
        replace(data.notes[0], id=12, text="Fler turer på kvällen och helgen"),
    ]
    data.notes.extend(repeated)
    theme = replace(data.themes[0], note_ids=(1, 10, 11, 12), quote_ids=(1, 10, 11), public_quote_ids=())
    data.themes[0] = theme
    blocks = outline(data)
    start = blocks.index(Heading(theme.label, 3))
    quotes = [b.text for b in blocks[start:start + 6] if isinstance(b, Paragraph) and b.style == "Quote"]
    assert quotes == ["”Bussen går för sällan till Östersund”", "”Fler turer på kvällen och helgen”"]


def test_municipalities_share_one_kommuner_as_swedish_writes_them():
    assert municipalities_phrase(["Storsjöns kommun"]) == "Storsjöns kommun"
    assert municipalities_phrase(["Storsjöns kommun", "Fjällåsens kommun"]) == "Storsjöns och Fjällåsens kommuner"
    assert municipalities_phrase(["Malå kommun", "Norsjö kommun", "Skellefteå kommun"]) == (
        "Malå, Norsjö och Skellefteå kommuner")
    assert municipalities_phrase(["Storsjöns kommun", "Umeå stad"]) == "Storsjöns kommun och Umeå stad"


def test_the_introduction_names_the_municipalities_once_and_calls_the_phones_mobiler():
    data = sample()
    data = replace(data, process=replace(data.process, municipalities="Storsjöns kommun, Fjällåsens kommun"))
    introduction = texts(outline(data)[:12])
    assert " i Storsjöns och Fjällåsens kommuner." in introduction
    assert "mobiler anslöt" in introduction or "mobil anslöt" in introduction
    assert "telefon" not in introduction.replace("telefonnummer", "")
