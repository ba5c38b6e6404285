"""`bykafe themes FILE`: spreadsheets in, themes as JSON out, clear messages for bad input."""

import argparse
import csv
import json
import subprocess
import sys

import pytest

from app import cli_themes

NOTES = [
    "Bussen till stan går för sällan",
    "Fler bussturer på kvällen och helgen",
    "Busskortet är för dyrt för pensionärer",
    "Behåll byskolan, barnen ska inte åka buss en timme",
    "Skolan är hjärtat i byn",
    "Lärarna på skolan gör ett bra jobb",
    "Fiber till alla hushåll i byn",
    "Bredbandet är för långsamt för att jobba hemifrån",
    "Mobiltäckningen i dalen är dålig",
    "🙂🙂",
]


def run(*argv):
    parser = argparse.ArgumentParser(prog="bykafe")
    cli_themes.register(parser.add_subparsers(dest="command"))
    return cli_themes.run(parser.parse_args(["themes", *map(str, argv)]))


@pytest.fixture
def excel_csv(tmp_path):
    """A CSV as Swedish Excel saves it: cp1252, ";" between fields, CRLF line ends."""
    path = tmp_path / "lappar.csv"
    lines = ["Nr;Lapp"] + [f"{i};{text}" for i, text in enumerate(NOTES[:-1], start=1)]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def test_excel_csv_gives_themes_as_json(excel_csv, capsys):
    assert run(excel_csv, "--text-column", "Lapp", "--id-column", "Nr", "--themes", "3") == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["themes"]) == 3
    for theme in out["themes"]:
        assert theme["label"] and theme["keywords"] and theme["quotes"]
        assert theme["size"] == len(theme["members"])
    placed = [m for t in out["themes"] for m in t["members"]] + out["other"]
    assert sorted(placed, key=int) == [str(i) for i in range(1, len(NOTES))]


def test_out_file_and_progress_on_stderr(tmp_path, capsys):
    path = tmp_path / "notes.csv"
    path.write_text("id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(NOTES)), encoding="utf-8-sig")
    out = tmp_path / "themes.json"
    assert run(path, "--out", out) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Embedding notes" in captured.err
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "9" in result["other"]  # the emoji-only note


def test_missing_column_is_a_clear_message(excel_csv, capsys):
    assert run(excel_csv) == 2
    err = capsys.readouterr().err
    assert "no column 'text'" in err and "'Nr', 'Lapp'" in err
    assert "Traceback" not in err


def test_a_missing_column_message_names_the_option_that_picks_another(excel_csv, capsys):
    assert run(excel_csv, "--text-column", "Lapp", "--id-column", "Id") == 2
    err = capsys.readouterr().err
    assert "no column 'Id'" in err and "Choose one with --id-column." in err


def test_no_such_file(tmp_path, capsys):
    assert run(tmp_path / "saknas.csv") == 2
    assert "No such file" in capsys.readouterr().err


def test_empty_file_is_a_clear_message(tmp_path, capsys):
    path = tmp_path / "tom.csv"
    path.write_bytes(b"")
    assert run(path) == 2
    assert "empty" in capsys.readouterr().err


def test_zero_themes_is_refused(excel_csv, capsys):
    assert run(excel_csv, "--text-column", "Lapp", "--themes", "0") == 2
    assert "at least 1" in capsys.readouterr().err


def test_one_note_gives_one_theme(tmp_path, capsys):
    path = tmp_path / "en.csv"
    path.write_text("text\nFler bussar till stan\n", encoding="utf-8")
    assert run(path) == 0
    out = json.loads(capsys.readouterr().out)
    assert [t["members"] for t in out["themes"]] == [["1"]]


def test_module_runs_as_a_command_with_the_text_backend(excel_csv):
    done = subprocess.run(
        [sys.executable, "-m", "app.cli_themes", str(excel_csv), "--text-column", "Lapp", "--backend", "text"],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["backend"] == "tfidf-lsa"


def test_a_two_megabyte_cell_is_cut_with_a_warning_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "stor.csv"
    huge = "Vägen till byn är dålig. " * 84_000  # about 2 MB in one cell
    lines = ["id,text"] + [f"{i},{text}" for i, text in enumerate(NOTES[:-1], start=1)] + [f'99,"{huge}"']
    path.write_text("\n".join(lines), encoding="utf-8")
    assert run(path, "--backend", "text", "--out", tmp_path / "t.json") == 0
    err = capsys.readouterr().err
    assert "Row 11 of stor.csv has a text of 2,100,000 characters; only its first 10,000 are used." in err
    assert "Traceback" not in err
    result = json.loads((tmp_path / "t.json").read_text())
    placed = [m for t in result["themes"] for m in t["members"]] + result["other"]
    assert "99" in placed and len(placed) == len(NOTES)
    assert csv.field_size_limit() == 131072  # the process-wide limit is given back
