"""The archive of a process (or one café) for the municipality's records: a zip of JSON and CSV
files with a README that says what each file holds."""

from __future__ import annotations

import io
import json
import zipfile

from facilitation.export_data import ExportData
from facilitation.exports import (
    Table, log_rows, note_rows, participation_rows, response_rows, samrad_rows, theme_rows, to_csv, to_json,
    village_theme_matrix, vote_rows,
)

SEPARATOR = ";"  # Swedish Excel opens these directly


def files(data: ExportData) -> dict[str, bytes]:
    tables: dict[str, Table] = {
        "inspel.csv": note_rows(data),
        "teman.csv": theme_rows(data),
        "by-tema.csv": village_theme_matrix(data),
        "prickar.csv": vote_rows(data),
        "deltagande.csv": participation_rows(data),
        "samrad.csv": samrad_rows(data),
        "svar-historik.csv": response_rows(data, data.response_history),
        "kurering-logg.csv": log_rows("Kurering", data.curation_log, data),
        "moderering-logg.csv": log_rows("Moderering", data.moderation_log, data),
    }
    if data.cafe_id is None:
        tables["gallring-logg.csv"] = log_rows("Gallring", data.deletions, data)
    contents = {name: to_csv(table, SEPARATOR).encode("utf-8") for name, table in tables.items()}
    contents["export.json"] = json.dumps(to_json(data), ensure_ascii=False, indent=2).encode("utf-8")
    contents = {"README.txt": _readme(data, list(contents)).encode("utf-8"), **contents}
    return contents


def archive(data: ExportData) -> bytes:
    moment = (data.generated_on.year, data.generated_on.month, data.generated_on.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files(data).items():
            bundle.writestr(zipfile.ZipInfo(name, date_time=moment), content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DESCRIPTIONS = {
    "export.json": "allt innehåll i ett dokument; schemat finns i Bykafés docs/export-schema.json",
    "inspel.csv": "varje synligt inspel med by, bord, runda, fråga, källa och tema",
    "teman.csv": "teman med planområde, nyckelord, antal inspel, prickar, byar, citat och kommunens svar",
    "by-tema.csv": "antal inspel per by och tema",
    "prickar.csv": "prickar i skördens omröstning per kafé och tema",
    "deltagande.csv": "kaféer med datum, bord, anslutna mobiler och antal inspel",
    "samrad.csv": "underlag för samrådsredogörelsen: inspel, tema och kommunens kommentar",
    "svar-historik.csv": "alla svar kommunen gett på teman, även ändrade",
    "kurering-logg.csv": "varje körning och ändring av teman: vem, när, vad",
    "moderering-logg.csv": "varje gång ett inspel doldes eller visades igen: vem och när",
    "gallring-logg.csv": "kaféer vars data tagits bort, med gallringsbeslutet",
}


def _readme(data: ExportData, names: list[str]) -> str:
    cafe = next((c for c in data.cafes if c.id == data.cafe_id), None)
    scope = f"kaféet i {cafe.village} {cafe.on.isoformat()}" if cafe else f"hela processen ({len(data.cafes)} kaféer)"
    lines = [
        f"Bykafé: arkivexport av {data.process.name}",
        f"Omfattning: {scope}",
        f"Exporterad: {data.generated_on.isoformat()}",
        "",
        "Filer:",
        *(f"  {name:<22} {DESCRIPTIONS.get(name, '')}" for name in ["README.txt", *names] if name != "README.txt"),
        "",
        "CSV-filerna är UTF-8 med BOM och semikolon som avgränsare (öppnas direkt i svenskt Excel).",
        "Tider är svensk tid. Dolda inspel ingår inte; de finns kvar i Bykafé tills kaféets data gallras.",
        "Personnummer, telefonnummer och e-postadresser i inspelen har ersatts med en markering.",
        "Mobilerna är anonyma: inga namn eller nummer på deltagarna sparas.",
    ]
    return "\r\n".join(lines) + "\r\n"
