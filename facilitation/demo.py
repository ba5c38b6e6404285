"""A realistic Swedish example process, as plain data: three village cafés and their notes.

The notes are drawn from hand-written sentences per theme and per question (the sample text is
in data/demo_cafes.toml), so theme clustering has real themes to find; each village leans on its
own themes. Seeded, so every run is the same.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SAMPLE_TEXT = Path(__file__).parent / "data" / "demo_cafes.toml"


@dataclass(frozen=True)
class _Village:
    village: str
    municipality: str
    venue: str
    date: date
    table_count: int
    host_share: float  # share of notes typed by the table host: more where fewer use phones
    theme_weights: dict[str, int]  # themes this village talks more (or less) about; others weigh 2
    # Notes only this village writes: (table, round, text, source), placed as given.
    own_notes: tuple[tuple[int, int, str, str], ...] = ()
    # Where it lies (WGS 84) and how many live there: inland Västerbotten and Norrbotten.
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


def _sample_text() -> dict:
    with SAMPLE_TEXT.open("rb") as file:
        return tomllib.load(file)


_TEXT = _sample_text()
ORGANISATION: str = _TEXT["organisation"]
PARTNER_MUNICIPALITY: str = _TEXT["partner_municipality"]
PROCESS_NAME: str = _TEXT["process"]["name"]
PLAN: str = _TEXT["process"]["plan"]
PROCESS_DESCRIPTION: str = _TEXT["process"]["description"]
ROUND_MINUTES: int = _TEXT["round_minutes"]
QUESTIONS: tuple[str, ...] = tuple(_TEXT["questions"])
# What people write, per theme and per question (round 1, 2, 3). "{by}" is the village.
THEME_SENTENCES: dict[str, tuple[tuple[str, ...], ...]] = {
    theme: tuple(tuple(sentences) for sentences in rounds) for theme, rounds in _TEXT["theme_sentences"].items()
}
AGREEMENT_TAILS: tuple[str, ...] = tuple(_TEXT["agreement_tails"])
VILLAGES = tuple(
    _Village(**{**village, "own_notes": tuple(tuple(note) for note in village["own_notes"])})
    for village in _TEXT["villages"]
)
# Where the trial café's village (Storsjöstrand, by the lake near Hallviken) lies, and its people.
TRIAL_PLACE = (_TEXT["trial_place"]["latitude"], _TEXT["trial_place"]["longitude"], _TEXT["trial_place"]["population"])

PHONES_PER_TABLE = 4  # of about six people at a table, some share a phone and some have none


@dataclass(frozen=True)
class DemoNote:
    table: int
    round: int
    text: str
    source: str  # "phone" or "host"
    device: int | None  # the phone's number within its café; None when the host typed it
    minutes_into_round: int


@dataclass(frozen=True)
class DemoRound:
    number: int
    question: str
    minutes: int


@dataclass(frozen=True)
class DemoCafe:
    village: str
    venue: str
    date: date
    table_count: int
    rounds: list[DemoRound]
    notes: list[DemoNote]
    municipality: str = ORGANISATION
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


@dataclass(frozen=True)
class DemoProcess:
    name: str
    plan: str
    participation_level: str  # one of facilitation.process.ParticipationLevel
    description: str
    cafes: list[DemoCafe]
    municipalities: list[str] = field(default_factory=lambda: [ORGANISATION])


@dataclass(frozen=True)
class DemoExample:
    organisation: str
    processes: list[DemoProcess]


def demo_example(seed: int = 7) -> DemoExample:
    """The example process: the same for the same seed."""
    rng = random.Random(seed)
    cafes = [
        DemoCafe(
            village=v.village,
            venue=v.venue,
            date=v.date,
            table_count=v.table_count,
            rounds=[
                DemoRound(number, question.format(by=v.village), ROUND_MINUTES)
                for number, question in enumerate(QUESTIONS, start=1)
            ],
            notes=_cafe_notes(v, rng),
            municipality=v.municipality,
            latitude=v.latitude,
            longitude=v.longitude,
            population=v.population,
        )
        for v in VILLAGES
    ]
    process = DemoProcess(
        name=PROCESS_NAME,
        plan=PLAN,
        participation_level="consultation",
        description=PROCESS_DESCRIPTION,
        cafes=cafes,
        municipalities=[ORGANISATION, PARTNER_MUNICIPALITY],
    )
    return DemoExample(organisation=ORGANISATION, processes=[process])


def _cafe_notes(village: _Village, rng: random.Random) -> list[DemoNote]:
    themes = list(THEME_SENTENCES)
    weights = [village.theme_weights.get(theme, 2) for theme in themes]
    tables = range(1, village.table_count + 1)
    rounds = range(1, len(QUESTIONS) + 1)
    # People change tables between rounds, so a phone writes at a new table each round.
    phones = list(range(1, village.table_count * PHONES_PER_TABLE + 1))
    seating = {}
    for round_number in rounds:
        rng.shuffle(phones)
        seating[round_number] = {table: phones[table - 1 :: village.table_count] for table in tables}

    def note(table: int, round_number: int, text: str, source: str | None = None) -> DemoNote:
        source = source or ("host" if rng.random() < village.host_share else "phone")
        device = rng.choice(seating[round_number][table]) if source == "phone" else None
        return DemoNote(table, round_number, text, source, device, rng.randint(2, ROUND_MINUTES - 1))

    written = {text for _, _, text, _ in village.own_notes}
    notes = [note(table, round_number, text, source) for table, round_number, text, source in village.own_notes]
    for round_number in rounds:
        for table in tables:
            for _ in range(rng.randint(4, 8)):
                theme = rng.choices(themes, weights)[0]
                sentence = rng.choice(THEME_SENTENCES[theme][round_number - 1]).format(by=village.village)
                text = _new_wording(sentence, written, rng)
                if text:
                    written.add(text)
                    notes.append(note(table, round_number, text))
    return sorted(notes, key=lambda n: (n.round, n.minutes_into_round, n.table))


def _new_wording(sentence: str, written: set[str], rng: random.Random) -> str | None:
    """The sentence as someone at this café might write it, unlike every note already written."""
    bare = sentence.rstrip(".!")
    casual = bare[0].lower() + bare[1:] if bare[1:2].islower() else bare
    wordings = [
        sentence,
        casual,
        bare + "!",
        bare + rng.choice(AGREEMENT_TAILS),
        "Viktigt: " + casual,
        _with_typo(casual, rng),
    ]
    fresh = [wording for wording in wordings if wording not in written]
    # Most notes are written the way the thought first came; the rest in other words.
    if sentence in fresh and rng.random() < 0.8:
        return sentence
    return rng.choice(fresh) if fresh else None


def _with_typo(text: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped in one longer word, as thumbs on a cold phone do."""
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha() and word.islower()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    j = rng.randrange(1, len(words[i]) - 2)
    word = words[i]
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)
