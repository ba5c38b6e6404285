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
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from facilitation import text as textlib
from facilitation.embeddings import embed_texts

NoteId = int | str

MAX_THEMES = 8
MAX_KEYWORDS = 8
MIN_KEYWORDS = 5
QUOTES_PER_THEME = 3
SAME_THEME_OVERLAP = 0.5  # share of a previous theme's notes (Jaccard) for a new theme to inherit it
MAX_OUTLIER_SHARE = 0.05  # far outliers put in "other", at most this share of the notes


class ThemeError(ValueError):
    """Input the theme engine cannot work with; the message says what to change."""


@dataclass(frozen=True)
class Note:
    id: NoteId
    text: str


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
        }


@dataclass
class ThemeResult:
    themes: list[Theme]
    other: list[NoteId]  # notes in no theme: no words (emoji only) or far from every theme

    def to_dict(self) -> dict:
        return {"themes": [t.to_dict() for t in self.themes], "other": list(self.other)}


def default_theme_count(n_notes: int) -> int:
    """How many themes to make of `n_notes` notes when the caller does not say.

    A harvest can discuss a handful of themes, and a theme needs several notes to be one:
    about sqrt(n/2.5), at least 2 and at most 8 (4 for 40 notes, 6 for 100, 8 from 150).
    Measured against the true number on the benchmark files: bench/themes.py."""
    if n_notes < 6:
        return 1 if n_notes else 0
    return max(2, min(MAX_THEMES, round(math.sqrt(n_notes / 2.5))))


def find_themes(
    notes: Sequence[Note],
    vectors: np.ndarray | None = None,
    n_themes: int | None = None,
    previous: Sequence[Theme] = (),
    seed: int = 0,
) -> ThemeResult:
    """Group `notes` into themes.

    `vectors`: one row per note, from `embed_texts` (stored per note); computed when None.
    `n_themes`: how many themes in all, pinned ones included; default `default_theme_count`.
    `previous`: the themes of the last run, as curated. Pinned ones come back unchanged (only
    notes that no longer exist leave them) and take no new notes; others lend their key and
    custom label to the new theme that has essentially the same notes.
    Same input and seed, same result."""
    notes = list(notes)
    _check_notes(notes)
    if n_themes is not None and n_themes < 1:
        raise ThemeError(f"The number of themes must be at least 1, not {n_themes}.")
    vectors = _vectors_for(notes, vectors)
    existing = {note.id for note in notes}

    pinned = [
        replace(theme, members=[m for m in theme.members if m in existing])
        for theme in previous
        if theme.pinned
    ]
    in_pinned = {m for theme in pinned for m in theme.members}
    pool = [i for i, note in enumerate(notes) if note.id not in in_pinned]
    wordless = [i for i in pool if not textlib.has_words(notes[i].text)]
    to_cluster = [i for i in pool if textlib.has_words(notes[i].text)]

    groups: list[list[int]] = []
    outliers: list[int] = []
    if to_cluster:
        if n_themes is None:
            k = default_theme_count(len(to_cluster))
        else:
            k = max(1, n_themes - len(pinned))
        distinct_texts = len({textlib.clean(notes[i].text).lower() for i in to_cluster})
        k = min(k, distinct_texts)
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
    new_themes = [
        Theme(key=_key_for([notes[i].id for i in group]), label=label, keywords=keywords,
              members=[notes[i].id for i in group], quotes=quotes, quote_ids=quote_ids)
        for group, (label, keywords, quotes, quote_ids) in zip(groups, described)
    ]
    new_themes = _inherit_from_previous(new_themes, list(previous), existing)
    themes = sorted(pinned + new_themes, key=lambda t: (-t.size, t.key))
    other = [notes[i].id for i in sorted(wordless + outliers)]
    return ThemeResult(themes=themes, other=other)


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
    members = set(theme.members)
    rows = [i for i, note in enumerate(notes) if note.id in members]
    if len(rows) < parts:
        raise ThemeError(f"A theme with {len(rows)} notes cannot be split into {parts} parts.")
    labels = cluster_vectors(vectors[rows], parts, seed=seed)
    groups = [[rows[r] for r in np.flatnonzero(labels == c)] for c in range(parts)]
    groups = [g for g in groups if g]
    themes = [
        Theme(key=_key_for([notes[i].id for i in group]), label=label, keywords=keywords,
              members=[notes[i].id for i in group], quotes=quotes, quote_ids=quote_ids)
        for group, (label, keywords, quotes, quote_ids) in zip(groups, _describe(groups, notes, vectors))
    ]
    return sorted(themes, key=lambda t: (-t.size, t.key))


def describe_themes(themes: Sequence[Theme], notes: Sequence[Note], vectors: np.ndarray | None = None) -> list[Theme]:
    """The same themes with keywords, quotes and (unless renamed by a person) labels worked out
    anew from their notes: after a merge or after notes were moved by hand."""
    notes = list(notes)
    _check_notes(notes)
    vectors = _vectors_for(notes, vectors)
    position = {note.id: i for i, note in enumerate(notes)}
    groups = [[position[m] for m in theme.members if m in position] for theme in themes]
    out = []
    for theme, group, (label, keywords, quotes, quote_ids) in zip(themes, groups, _describe(groups, notes, vectors)):
        out.append(replace(
            theme,
            label=theme.label if theme.label_is_custom else label,
            keywords=keywords,
            members=[notes[i].id for i in group],
            quotes=quotes,
            quote_ids=quote_ids,
        ))
    return out


# --- clustering -------------------------------------------------------------------------------


def cluster_vectors(vectors: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """A cluster number (0..k-1) for each row.

    e5 vectors share a large common direction and a few dominant ones; centring and whitening
    them (PCA, each component scaled to unit variance) lets the topic directions count. As the
    best number of components varies, KMeans runs on several and a final KMeans groups notes
    that those runs keep together (a consensus). Measured on the benchmark: NMI 0.51 Swedish,
    0.60 polis, against 0.39 / 0.51 for KMeans on the raw vectors and 0.45 / 0.58 with UMAP."""
    from sklearn.cluster import KMeans

    n = len(vectors)
    if k <= 1 or n <= 1:
        return np.zeros(n, dtype=int)
    if n <= k:
        return np.arange(n)
    rng = np.random.RandomState(seed)
    centred = vectors - vectors.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred / n)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    usable = int(np.sum(eigenvalues > 1e-6 * max(eigenvalues[0], 1e-12)))
    if usable < 2:  # (almost) identical vectors: nothing to whiten
        return KMeans(k, n_init=3, random_state=seed).fit_predict(centred)

    memberships = []
    for dims in _component_counts(n, usable):
        whitened = centred @ eigenvectors[:, :dims] / np.sqrt(eigenvalues[:dims])
        whitened /= np.linalg.norm(whitened, axis=1, keepdims=True) + 1e-12
        for _ in range(_RUNS_PER_COUNT):
            labels = KMeans(k, n_init=1, random_state=rng.randint(2**31 - 1)).fit_predict(whitened)
            memberships.append(np.eye(k, dtype=np.float32)[labels])
    together = np.hstack(memberships)
    return KMeans(k, n_init=_FINAL_INITS, random_state=seed).fit_predict(together)


_RUNS_PER_COUNT = 4
_FINAL_INITS = 5


def _component_counts(n: int, usable: int) -> list[int]:
    # Few notes carry few reliable directions: the top count grows with n, up to 40.
    top = max(4, min(40, n // 6, usable))
    counts = {max(2, min(usable, round(top * share))) for share in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)}
    return sorted(counts)


def far_outliers(vectors: np.ndarray, labels: np.ndarray) -> set[int]:
    """Rows much farther from their theme's centre than notes usually are: at most 5 %."""
    n = len(vectors)
    if n < 20:
        return set()
    centred = _unit_rows(vectors - vectors.mean(axis=0))
    similarity = np.empty(n)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        centre = _unit_rows(centred[rows].mean(axis=0, keepdims=True))[0]
        similarity[rows] = centred[rows] @ centre
    median = np.median(similarity)
    spread = 1.4826 * np.median(np.abs(similarity - median))
    candidates = np.flatnonzero(similarity < median - 3.5 * spread)
    candidates = candidates[np.argsort(similarity[candidates])][: int(MAX_OUTLIER_SHARE * n)]
    return set(candidates.tolist())


# --- keywords, labels, quotes -----------------------------------------------------------------


def _describe(groups: list[list[int]], notes: list[Note], vectors: np.ndarray):
    """(label, keywords, quotes, quote ids) for each group of note positions."""
    texts = [note.text for note in notes]
    in_groups = sorted({i for group in groups for i in group})
    if not in_groups:
        return [("Övrigt", [], [], []) for _ in groups]
    languages = textlib.detect_languages([texts[i] for i in in_groups])
    word_sets, shown = textlib.word_groups([texts[i] for i in in_groups], languages)
    words_of = dict(zip(in_groups, word_sets))
    centred = _unit_rows(vectors - vectors[in_groups].mean(axis=0))
    closeness = []  # per group: each note's cosine similarity to the group's centre
    for group in groups:
        centre = _unit_rows(centred[group].mean(axis=0, keepdims=True))[0] if group else 0
        closeness.append(centred[group] @ centre if group else np.zeros(0))
    keyword_lists = distinctive_keywords(
        [[words_of[i] for i in group] for group in groups],
        [np.clip(c, 0.05, 1.0) for c in closeness],
        shown,
    )
    out = []
    for group, keywords, close in zip(groups, keyword_lists, closeness):
        quote_rows = representative_quotes([texts[i] for i in group], close)
        out.append((
            make_label(keywords),
            keywords,
            [textlib.clean(texts[group[r]]) for r in quote_rows],
            [notes[group[r]].id for r in quote_rows],
        ))
    return out


def distinctive_keywords(groups: list[list[set[str]]], weights: list[np.ndarray], shown: dict[str, str]) -> list[list[str]]:
    """Up to 8 words per group that set it apart from the other groups (class-based TF-IDF).

    `groups` holds, per theme, the set of word groups (stems) of each note, and `weights` how
    typical each note is of its theme. A stem scores by the (typicality-weighted) share of the
    theme's notes that use it, times how rare it is across all themes; it must be used by two
    notes of the theme unless too few words qualify. Weighting by typicality lets the words of
    central notes win among the many words used once."""
    note_counts = [Counter(s for stems in group for s in stems) for group in groups]
    everywhere: Counter = Counter()
    for counts in note_counts:
        everywhere.update(counts)
    average_size = sum(len(g) for g in groups) / max(1, len(groups))
    keyword_lists = []
    for group, weight, counts in zip(groups, weights, note_counts):
        weighted: Counter = Counter()
        for stems, w in zip(group, weight):
            for s in stems:
                weighted[s] += float(w)
        score = {s: (weighted[s] / len(group)) * math.log(1 + average_size / everywhere[s]) for s in counts}
        ranked = sorted(score, key=lambda s: (-score[s], shown.get(s, s)))
        shared = [s for s in ranked if counts[s] >= 2]
        chosen = shared if len(shared) >= MIN_KEYWORDS else shared + [s for s in ranked if counts[s] < 2]
        words: list[str] = []
        for s in chosen:
            word = shown.get(s, s)
            if word.lower() not in {w.lower() for w in words}:
                words.append(word)
            if len(words) == MAX_KEYWORDS:
                break
        keyword_lists.append(words)
    return keyword_lists


def make_label(keywords: list[str]) -> str:
    """The top three keywords, the first capitalised: "Kollektivtrafik, buss, tåg". Names (of the
    village, mostly) stay among the keywords but give way in the label to words for the topic,
    unless there are too few of those; acronyms such as "VA" are topics and stay."""
    if not keywords:
        return "Övrigt"
    topical = [w for w in keywords if not (w[:1].isupper() and not w.isupper())]
    words = (topical if len(topical) >= 3 else keywords)[:3]
    first = words[0] if words[0][:1].isupper() else words[0][:1].upper() + words[0][1:]
    return ", ".join([first] + words[1:])


def representative_quotes(texts: list[str], closeness: np.ndarray) -> list[int]:
    """Indexes of up to 3 of `texts` closest to the theme's centre, no two alike, preferring
    notes of a readable length (30 to 200 characters) over one-word or very long notes."""
    scores = []
    for text, close in zip(texts, closeness):
        length = len(textlib.clean(text))
        off_length = max(0, 30 - length) / 30 + max(0, length - 200) / 400
        scores.append(float(close) - 0.3 * min(1.0, off_length))
    chosen, seen = [], set()
    for r in sorted(range(len(texts)), key=lambda r: (-scores[r], r)):
        same_words = " ".join(textlib.words(texts[r]))
        if same_words in seen:
            continue
        seen.add(same_words)
        chosen.append(r)
        if len(chosen) == QUOTES_PER_THEME:
            break
    return chosen


# --- stability --------------------------------------------------------------------------------


def _inherit_from_previous(themes: list[Theme], previous: list[Theme], existing: set[NoteId]) -> list[Theme]:
    """Give a new theme the key (and a person's label) of the previous theme it essentially is.

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
