"""Theme clustering: notes in, themes out (label, keywords, notes, quotes), stable between runs.

How a run works (`find_themes`):
1. Pinned themes are kept as they are; their notes leave the pool.
2. Notes without a single letter (emoji only, empty) go to "other".
3. The rest is clustered on its vectors (see `cluster_vectors`), far outliers go to "other".
4. Each theme gets distinctive keywords (class-based TF-IDF), a label and quotes.
5. New themes that are essentially a previous theme (same notes) take its key and custom label.

The clustering method and its settings were chosen by measurement: bench/themes.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from facilitation import labels as labellib
from facilitation import text as textlib
from facilitation.clustering import MAX_THEMES, choose_theme_count, cluster_vectors, far_outliers
from facilitation.embeddings import embed_texts

NoteId = int | str

MIN_NOTES_PER_THEME = 3
# A café's notes (15 to 250) make at most 8 themes: smaller themes of one evening read as odd
# pairs of words; a process across villages holds 10 to 12 topics (measured on the demo's).
CAFE_NOTES, CAFE_THEMES = 250, 8
ROUND_PRIOR_NOTES = 5  # a round's own direction counts fully only with many more notes than this
SAME_THEME_OVERLAP = 0.5  # share of a previous theme's notes (Jaccard) for a new theme to inherit it


class ThemeError(ValueError):
    """Input the theme engine cannot work with; the message says what to change."""


@dataclass(frozen=True)
class Note:
    id: NoteId
    text: str
    # The round (its question) the note answers, if known: answers to one question share a
    # form ("Vi kan…", "Kommunen bör…") that is no theme (see `without_round_form`).
    round: Hashable | None = None


@dataclass
class Theme:
    key: str
    label: str
    keywords: list[str]
    members: list[NoteId]
    quotes: list[str] = field(default_factory=list)
    quote_ids: list[NoteId] = field(default_factory=list)
    pinned: bool = False
    label_is_custom: bool = False
    summary: str = ""  # one or two sentences from the theme's notes, or a person's own words
    summary_is_custom: bool = False  # written by a person: kept as the custom label is

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "keywords": list(self.keywords),
            "size": self.size,
            "members": list(self.members),
            "quotes": list(self.quotes),
            "quote_ids": list(self.quote_ids),
            "pinned": self.pinned,
            "label_is_custom": self.label_is_custom,
            "summary": self.summary,
            "summary_is_custom": self.summary_is_custom,
        }


@dataclass
class ThemeResult:
    themes: list[Theme]
    other: list[NoteId]  # notes in no theme: no words (emoji only) or far from every theme

    def to_dict(self) -> dict:
        return {"themes": [t.to_dict() for t in self.themes], "other": list(self.other)}


def default_theme_count(n_notes: int) -> int:
    """The most themes worth trying for `n_notes` notes: a theme needs a few notes to be one,
    a café evening harvests a handful (4 for 12 notes, 8 from 24 notes) and a process across
    villages up to a dozen (above 250 notes). Within this range `choose_theme_count` picks the
    number the notes support."""
    if n_notes < 6:
        return 1 if n_notes else 0
    most = MAX_THEMES if n_notes > CAFE_NOTES else CAFE_THEMES
    return max(2, min(most, n_notes // MIN_NOTES_PER_THEME))


def find_themes(
    notes: Sequence[Note],
    vectors: np.ndarray | None = None,
    n_themes: int | None = None,
    previous: Sequence[Theme] = (),
    seed: int = 0,
) -> ThemeResult:
    """Group `notes` into themes.

    `vectors`: one row per note, from `embed_texts` (stored per note); computed when None.
    `n_themes`: how many themes in all, pinned ones included; default: chosen from the notes
    (`choose_theme_count`).
    `previous`: the themes of the last run, as curated. Pinned ones come back unchanged (only
    notes that no longer exist leave them) and take no new notes; others lend their key and
    custom label and summary to the new theme that has essentially the same notes.
    The result depends on the set of notes, not on their order: they are put in a canonical
    order (by a hash of text and id) before anything random. Same input and seed, same result."""
    notes = list(notes)
    _check_notes(notes)
    if n_themes is not None and n_themes < 1:
        raise ThemeError(f"The number of themes must be at least 1, not {n_themes}.")
    vectors = _vectors_for(notes, vectors)
    order = canonical_order(notes)
    notes = [notes[i] for i in order]
    vectors = without_round_form(notes, vectors[order])
    existing = {note.id for note in notes}

    pinned = [
        replace(theme, members=[m for m in theme.members if m in existing])
        for theme in previous
        if theme.pinned
    ]
    in_pinned = {m for theme in pinned for m in theme.members}
    pool = [i for i, note in enumerate(notes) if note.id not in in_pinned]
    # A note without a content word ("ja", "ok", "lol") or without letters (emoji only: one
    # picture can mean praise as well as a topic) is in no theme; the leader can move it.
    wordless = [i for i in pool if not textlib.has_content_words(notes[i].text)]
    to_cluster = [i for i in pool if textlib.has_content_words(notes[i].text)]

    groups: list[list[int]] = []
    outliers: list[int] = []
    if to_cluster:
        distinct_texts = len({textlib.clean(notes[i].text).lower() for i in to_cluster})
        if n_themes is None:
            k = choose_theme_count(vectors[to_cluster], seed=seed, most=min(distinct_texts, default_theme_count(len(to_cluster))))
        else:
            k = min(max(1, n_themes - len(pinned)), distinct_texts)
        labels = cluster_vectors(vectors[to_cluster], k, seed=seed)
        outlier_rows = far_outliers(vectors[to_cluster], labels)
        groups = [
            [to_cluster[row] for row in np.flatnonzero(labels == c) if row not in outlier_rows]
            for c in range(k)
        ]
        groups = [g for g in groups if g]
        outliers = [to_cluster[row] for row in sorted(outlier_rows)]

    position = {note.id: i for i, note in enumerate(notes)}
    pinned_groups = [[position[m] for m in theme.members] for theme in pinned]
    described = _describe(groups + pinned_groups, notes, vectors)[: len(groups)]
    new_themes = [_theme(group, notes, description) for group, description in zip(groups, described)]
    new_themes = _inherit_from_previous(new_themes, list(previous), existing)
    themes = sorted(pinned + new_themes, key=lambda t: (-t.size, t.key))
    other = [notes[i].id for i in sorted(wordless + outliers)]
    return ThemeResult(themes=themes, other=other)


def without_round_form(notes: Sequence[Note], vectors: np.ndarray) -> np.ndarray:
    """The vectors with each round's own direction taken out: a World Café asks each round its
    own question, and e5 places answers to one question near each other by their form, so
    themes came out as "what works well" or "what we can do" instead of topics. Each round's
    mean is moved to the café's mean, shrunk for a round with few notes (n / (n + 5)), so a
    handful of notes is not taken for the question's form. Notes of no known round stay.
    Measured on the demo's three villages (bench/themes.py, rounds): NMI against the topics the
    notes were written on 0.50 → 0.55 across the process."""
    rounds = [note.round for note in notes]
    if len({r for r in rounds if r is not None}) < 2:
        return vectors
    out = vectors.astype(np.float64, copy=True)
    mean = vectors.mean(axis=0)
    for r in {r for r in rounds if r is not None}:
        rows = [i for i, x in enumerate(rounds) if x == r]
        out[rows] -= (vectors[rows].mean(axis=0) - mean) * len(rows) / (len(rows) + ROUND_PRIOR_NOTES)
    return out.astype(np.float32)


def canonical_order(notes: Sequence[Note]) -> list[int]:
    """Positions of `notes` sorted by a hash of text and id: the same set of notes in any
    order gives the same sequence, so seeded clustering gives the same themes."""
    def digest(note: Note) -> str:
        return hashlib.sha1(f"{textlib.clean(note.text)}\x1f{note.id}".encode()).hexdigest()
    return sorted(range(len(notes)), key=lambda i: (digest(notes[i]), str(notes[i].id)))


def split_theme(
    theme: Theme,
    notes: Sequence[Note],
    vectors: np.ndarray | None = None,
    parts: int = 2,
    seed: int = 0,
) -> list[Theme]:
    """Split one theme into `parts` new themes (the curation action "split").

    `notes` (and `vectors`, row for row) may be the whole café: only the theme's notes are used.
    Every note of the theme lands in one part; keywords set the parts apart from each other."""
    if parts < 2:
        raise ThemeError(f"A theme is split into at least 2 parts, not {parts}.")
    notes = list(notes)
    _check_notes(notes)
    vectors = _vectors_for(notes, vectors)
    order = canonical_order(notes)
    notes = [notes[i] for i in order]
    vectors = without_round_form(notes, vectors[order])
    members = set(theme.members)
    rows = [i for i, note in enumerate(notes) if note.id in members]
    if len(rows) < parts:
        raise ThemeError(f"A theme with {len(rows)} notes cannot be split into {parts} parts.")
    labels = cluster_vectors(vectors[rows], parts, seed=seed)
    groups = [[rows[r] for r in np.flatnonzero(labels == c)] for c in range(parts)]
    groups = [g for g in groups if g]
    themes = [_theme(group, notes, d) for group, d in zip(groups, _describe(groups, notes, vectors))]
    return sorted(themes, key=lambda t: (-t.size, t.key))


def describe_themes(themes: Sequence[Theme], notes: Sequence[Note], vectors: np.ndarray | None = None) -> list[Theme]:
    """The same themes with keywords, quotes and (unless a person wrote them) labels and summaries
    worked out anew from their notes: after a merge or after notes were moved by hand."""
    notes = list(notes)
    _check_notes(notes)
    vectors = _vectors_for(notes, vectors)
    order = canonical_order(notes)
    notes = [notes[i] for i in order]
    vectors = without_round_form(notes, vectors[order])
    position = {note.id: i for i, note in enumerate(notes)}
    groups = [[position[m] for m in theme.members if m in position] for theme in themes]
    out = []
    for theme, group, d in zip(themes, groups, _describe(groups, notes, vectors)):
        fresh = _theme(group, notes, d)
        out.append(replace(
            fresh, key=theme.key, label=theme.label if theme.label_is_custom else fresh.label,
            pinned=theme.pinned, label_is_custom=theme.label_is_custom,
            summary=theme.summary if theme.summary_is_custom else fresh.summary,
            summary_is_custom=theme.summary_is_custom,
        ))
    return out


# --- keywords, labels, quotes: facilitation/labels.py --------------------------------------


def _describe(groups: list[list[int]], notes: list[Note], vectors: np.ndarray) -> list[labellib.Description]:
    in_groups = sorted({i for group in groups for i in group})
    centred = _unit_rows(vectors - vectors[in_groups].mean(axis=0)) if in_groups else vectors
    closeness = []  # per group: each note's cosine similarity to the group's centre
    for group in groups:
        centre = _unit_rows(centred[group].mean(axis=0, keepdims=True))[0] if group else 0
        closeness.append(centred[group] @ centre if group else np.zeros(0))
    return labellib.describe_groups(groups, [note.text for note in notes], closeness)


def _theme(group: list[int], notes: list[Note], d: labellib.Description) -> Theme:
    members = [notes[i].id for i in group]
    quote_ids = [members[r] for r in d.quote_rows]
    return Theme(key=_key_for(members), label=d.label, keywords=d.keywords, members=members,
                 quotes=[textlib.clean(notes[group[r]].text) for r in d.quote_rows], quote_ids=quote_ids,
                 summary=d.summary)


# --- stability --------------------------------------------------------------------------------


def _inherit_from_previous(themes: list[Theme], previous: list[Theme], existing: set[NoteId]) -> list[Theme]:
    """Give a new theme the key (and a person's label and summary) of the previous theme it essentially is.

    Overlap is Jaccard over notes that existed in the previous run, so new notes joining a
    theme do not make it a different theme. Pairs are matched one to one (Hungarian method)."""
    reserved = {theme.key for theme in previous}  # pinned ones too: a new key never repeats an old one
    previous = [theme for theme in previous if not theme.pinned]
    if not themes or not previous:
        return _unique_keys(themes, reserved)
    from scipy.optimize import linear_sum_assignment

    known = {m for theme in previous for m in theme.members} & existing
    old_sets = [set(theme.members) & known for theme in previous]
    new_sets = [set(theme.members) & known for theme in themes]
    overlap = np.zeros((len(themes), len(previous)))
    for a, new in enumerate(new_sets):
        for b, old in enumerate(old_sets):
            union = new | old
            overlap[a, b] = len(new & old) / len(union) if union else 0.0
    out = list(themes)
    taken = set()
    for a, b in zip(*linear_sum_assignment(-overlap)):
        if overlap[a, b] >= SAME_THEME_OVERLAP:
            old = previous[b]
            custom = old.label_is_custom
            out[a] = replace(out[a], key=old.key, label=old.label if custom else out[a].label, label_is_custom=custom)
            if old.summary_is_custom:
                out[a] = replace(out[a], summary=old.summary, summary_is_custom=True)
            taken.add(a)
    fresh = _unique_keys([t for i, t in enumerate(out) if i not in taken], reserved)
    fresh_iter = iter(fresh)
    return [t if i in taken else next(fresh_iter) for i, t in enumerate(out)]


def _unique_keys(themes: list[Theme], reserved: set[str]) -> list[Theme]:
    used = set(reserved)
    out = []
    for theme in themes:
        key, n = theme.key, 1
        while key in used:
            key, n = f"{theme.key}-{n}", n + 1
        used.add(key)
        out.append(replace(theme, key=key))
    return out


def _key_for(members: list[NoteId]) -> str:
    # Derived from the notes, so the same input gives the same keys.
    digest = hashlib.sha1("\x1f".join(sorted(map(str, members))).encode()).hexdigest()
    return "t" + digest[:12]


# --- helpers ----------------------------------------------------------------------------------


def _check_notes(notes: list[Note]) -> None:
    seen = set()
    for note in notes:
        if note.id in seen:
            raise ThemeError(f"Two notes have the same id {note.id!r}; every note needs its own id.")
        seen.add(note.id)


def _vectors_for(notes: list[Note], vectors: np.ndarray | None) -> np.ndarray:
    if vectors is None:
        return embed_texts([textlib.clean(note.text) for note in notes])
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(notes):
        raise ThemeError(f"Expected one vector per note ({len(notes)} rows), got an array of shape {vectors.shape}.")
    return vectors


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12)
