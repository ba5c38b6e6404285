"""What a theme is called and how it is shown: keywords, a label, quotes and a short summary.

All of it is taken from the theme's own notes, offline:
- keywords: the one-word terms that set a theme apart from the café's other themes
  (class-based TF-IDF over word groups), never a function word of any language or a word the
  whole café uses;
- label: the two (or three) most distinctive terms, one- or two-word phrases as people wrote
  them, joined the way a planner writes a heading: "Bussar och kvällstrafik"; each word in a
  form the theme's own notes write (the base form where they write it: "Skola", not "Skolan"),
  an adjective only with its noun ("Ideella föreningar");
- quotes: the notes nearest the theme's centre, near-duplicates ("förteag"/"företag") once;
- summary: one or two sentences from the notes that are typical of the theme and together
  cover its main terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from facilitation import names
from facilitation import text as textlib
from facilitation.categories import plan_word_score
from facilitation.privacy import NAME_PLACEHOLDER, masked_kinds

MAX_KEYWORDS = 8
MIN_KEYWORDS = 5
QUOTES_PER_THEME = 3
LABEL_TERMS = 2
# A third term joins the label when it scores nearly as high as the second ("Butik, post och apotek").
THIRD_TERM_SHARE = 0.9
LABEL_MAX_CHARS = 45  # a heading, not a sentence: a third term only while the label stays short
# A word of the plan categories' vocabulary ("buss", "bredband", "boende") names a theme the way a
# planner would: in the label it counts this much more (see bench/themes.py, label agreement).
PLAN_WORD_BOOST = 0.5
# A word the whole café uses (in this share of all notes and in every theme) names no theme.
CAFE_WORD_SHARE = 0.2
# A word written within one phrase in this share of its uses (by 3 notes at least) is shown as
# that phrase; two label words as often side by side become one phrase ("affordable housing").
PHRASE_SHARE, PHRASE_NOTES = 0.5, 3
NEAR_DUPLICATE = 0.85  # similarity of two texts' letters above which they are the same quote
SUMMARY_MAX_CHARS = 300
OTHER_LABEL = "Övrigt"
CONJUNCTIONS = {textlib.SWEDISH: "och", textlib.ENGLISH: "and", textlib.GERMAN: "und",
                textlib.NORWEGIAN: "og", textlib.DANISH: "og", textlib.FINNISH: "ja"}

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")  # as facilitation/text.py reads words


@dataclass
class Description:
    label: str
    keywords: list[str]
    quote_rows: list[int]  # positions within the group, best first
    summary: str = ""
    terms: list[str] = field(default_factory=list)  # the label's terms, before joining


def describe_groups(groups: list[list[int]], texts: list[str], closeness: list[np.ndarray]) -> list[Description]:
    """A description per group of positions in `texts`; `closeness[g]` holds, per note of group
    g, its cosine similarity to the group's centre (how typical the note is)."""
    in_groups = sorted({i for group in groups for i in group})
    if not in_groups:
        return [Description(OTHER_LABEL, [], []) for _ in groups]
    languages = textlib.detect_languages([texts[i] for i in in_groups])
    vocabulary = textlib.Vocabulary([texts[i] for i in in_groups], languages)
    row_of = {i: r for r, i in enumerate(in_groups)}
    language = textlib.main_language([texts[i] for i in in_groups])
    conjunction = CONJUNCTIONS.get(language, "&")
    # Where compounds are written as one word ("servicestöd"), two words side by side are
    # seldom one term ("ge affären servicestöd") unless the first describes the second ("rent
    # vatten"); in English they often are ("income tax").
    phrases = language not in textlib.COMPOUNDING

    note_terms = [[_note_terms(vocabulary, row_of[i]) for i in group] for group in groups]
    cafe_words = _cafe_words([[vocabulary.keys[row_of[i]] for i in group] for group in groups])
    weights = [np.clip(c, 0.05, 1.0) for c in closeness]
    scored = class_tfidf(note_terms, weights, ignored=cafe_words)

    out = []
    for group, scores, counts, close in zip(groups, scored, (_counts(t) for t in note_terms), closeness):
        # Each theme shows its words as its own notes write them (they stay when a note of
        # another theme is hidden, see `still_written`).
        wording = vocabulary.wording(row_of[i] for i in group)
        keywords = _keywords(scores, counts, vocabulary, wording)
        terms = _label_terms(scores, counts, vocabulary, wording, phrases)
        group_texts = [texts[i] for i in group]
        out.append(Description(
            label=make_label(terms, conjunction) if terms else OTHER_LABEL,
            keywords=keywords,
            quote_rows=representative_quotes(group_texts, close),
            summary=summarise(group_texts, close, [vocabulary.keys[row_of[i]] for i in group], _top_keys(scores)),
            terms=terms,
        ))
    return out


# A term: one word group, or two written side by side.
Term = str | tuple[str, str]


def class_tfidf(groups: list[list[set]], weights: list[np.ndarray], ignored: Set[str] = frozenset()) -> list[dict]:
    """Per group, a score per term: the (typicality-weighted) share of the group's notes that use
    it, times how rare it is across groups. Weighting by typicality lets the words of central
    notes win among the many words used once."""
    counts = [_counts(group) for group in groups]
    everywhere: Counter = Counter()
    for c in counts:
        everywhere.update(c)
    average_size = sum(len(g) for g in groups) / max(1, len(groups))
    out = []
    for group, weight in zip(groups, weights):
        weighted: dict[Term, float] = defaultdict(float)
        for terms, w in zip(group, weight):
            for term in terms:
                if _parts(term) & ignored:
                    continue
                weighted[term] += float(w)
        out.append({t: (weighted[t] / len(group)) * math.log(1 + average_size / everywhere[t]) for t in weighted})
    return out


def make_label(terms: list[str], conjunction: str = "och") -> str:
    """Terms joined as a heading, the first letter capitalised: "Bussar och kvällstrafik",
    "Butik, post och apotek"."""
    if not terms:
        return OTHER_LABEL
    words = list(terms)
    words[0] = words[0][:1].upper() + words[0][1:]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def representative_quotes(texts: list[str], closeness: np.ndarray) -> list[int]:
    """Indexes of up to 3 of `texts` closest to the theme's centre, no two alike (a typo, a
    repeat or the same note with a remark added is the same quote), preferring notes of a
    readable length (30 to 200 characters), and notes that name no person and had nothing
    masked: a quote is read out of context. Of notes alike, the one spelt as most notes are."""
    personal = [_personal(text) for text in texts]
    scores = [float(close) - 0.3 * _off_length(text) - (1.0 if named else 0.0)
              for text, close, named in zip(texts, closeness, personal)]
    support = _spelling_support(texts)
    plain = [_plain(text) for text in texts]
    chosen: list[int] = []
    for r in sorted(range(len(texts)), key=lambda r: (-scores[r], r)):
        if any(_alike(plain[r], plain[c]) for c in chosen):
            continue
        alike = [a for a in range(len(texts)) if not personal[a] and _alike(plain[a], plain[r])] or [r]
        chosen.append(max(alike, key=lambda a: (support(texts[a]), -len(texts[a]), -a)))
        if len(chosen) == QUOTES_PER_THEME:
            break
    return chosen


def summarise(texts: list[str], closeness: np.ndarray, keys: list[list[str]], top_keys: list[str]) -> str:
    """One or two sentences of the theme's notes: the most typical sentence that names its main
    terms, and a second one if it names a main term the first lacks. Each as most notes spell
    it, without a remark in brackets, a leading "Viktigt:" or a trailing "– flera sa samma sak";
    never a sentence that names a person or had something masked."""
    support = _spelling_support(texts)
    candidates = []  # (score, sentence, its main terms)
    for text, close in zip(texts, closeness):
        if _personal(text):
            continue
        for sentence in map(_core, _SENTENCE.split(textlib.clean(text))):
            if textlib.has_content_words(sentence):
                named = {k for k in top_keys if _mentions(sentence, k)}
                coverage = len(named) / max(1, len(top_keys))
                candidates.append((float(close) + coverage - 0.3 * _off_length(sentence), sentence, named))
    if not candidates:
        return ""
    candidates.sort(key=lambda c: -c[0])

    plain = {c[1]: _plain(c[1]) for c in candidates}

    def best_spelling(sentence: str) -> str:
        alike = [c[1] for c in candidates if _alike(plain[c[1]], plain[sentence])]
        return max(alike, key=lambda a: (support(a), -len(a)))

    first = candidates[0]
    chosen = [best_spelling(first[1])]
    for _, sentence, named in candidates[1:]:
        if (named - first[2] and not _alike(plain[sentence], plain[first[1]])
                and len(chosen[0]) + len(sentence) < SUMMARY_MAX_CHARS):
            chosen.append(best_spelling(sentence))
            break
    return " ".join(_as_sentence(s) for s in chosen)


def publishable_summary(summary: str, texts: list[str]) -> str:
    """The summary if every sentence of it still stands in one of `texts` (visible
    notes), else "": a sentence taken from a note the leader has hidden since must not be shown."""
    notes = [_plain(t) for t in texts]
    sentences = [_plain(s) for s in _SENTENCE.split(summary.strip()) if s.strip()]
    if not sentences or not all(any(s in note for note in notes) for s in sentences):
        return ""
    return summary


def still_written(keywords: list[str], label: str, summary: str, texts: list[str],
                  custom_label: bool = False) -> tuple[list[str], str, str]:
    """A theme's keywords, label and summary kept to what `texts` (the visible notes of its café
    or process, as others see them) still say: after a note is hidden, a name in it masked
    ("Sven Svensson" and so "Sven", "Svensson") or an older version of the themes is put back.
    A keyword goes; a term of a label made from the notes goes (the others stay, or the first
    keywords left name the theme); a summary goes whole unless every sentence still stands. A
    label a person wrote stays as written. The whole café counts, not the theme's own notes: a
    label's word may be written in the form another theme's notes use ("barn", "busskur")."""
    written = {w for text in texts for w in textlib.words(text)}
    kept = [k for k in keywords if all(textlib.inflected_in(w, written) for w in textlib.words(k))]
    if not custom_label and label != OTHER_LABEL:
        label = _label_still_written(label, written, kept)
    return kept, label, publishable_summary(summary, texts)


def _label_still_written(label: str, written: set[str], keywords: list[str]) -> str:
    conjunction = next((c for c in CONJUNCTIONS.values() if f" {c} " in label), "och")
    terms = [t for t in re.split(rf", | {re.escape(conjunction)} ", label) if t]
    standing = [t for t in terms if NAME_PLACEHOLDER not in t and all(textlib.inflected_in(w, written) for w in textlib.words(t))]
    if len(standing) == len(terms):
        return label
    return make_label(standing or keywords[:2], conjunction)


def quotes_beside(summary: str, quotes: list[str]) -> list[str]:
    """The quotes that say more than the summary beside them already says word for word."""
    said = _plain(summary)
    return [q for q in quotes if not (said and _plain(q) and _plain(q) in said)]


def near_duplicates(a: str, b: str) -> bool:
    """The same note but for a typo, case, punctuation or emoji ("förteag" and "företag"), or
    with a remark added ("Turism året runt (hela bordet håller med)")."""
    return _alike(_plain(a), _plain(b))


def _alike(a: str, b: str) -> bool:
    """`near_duplicates` on texts already reduced to their words (`_plain`)."""
    short, long = sorted((a, b), key=len)
    if a == b or (short.count(" ") >= 3 and f" {short} " in f" {long} "):
        return True
    # Cheap bounds first: most pairs of notes are far apart. Texts of a few words apart, near
    # duplicates share most of their words.
    words_a, words_b = set(a.split()), set(b.split())
    if min(len(words_a), len(words_b)) > 2 and 2 * len(words_a & words_b) < min(len(words_a), len(words_b)):
        return False
    matcher = SequenceMatcher(None, a, b)
    return (matcher.real_quick_ratio() >= NEAR_DUPLICATE and matcher.quick_ratio() >= NEAR_DUPLICATE
            and matcher.ratio() >= NEAR_DUPLICATE)


# --- helpers ----------------------------------------------------------------------------------


def _note_terms(vocabulary: textlib.Vocabulary, row: int) -> set:
    """A note's terms: its word groups, and each pair of word groups written side by side."""
    terms: set = set(vocabulary.keys[row])
    for run in vocabulary.runs[row]:
        terms.update((a, b) for a, b in zip(run, run[1:]) if a != b)
    return terms


def _cafe_words(groups: list[list[list[str]]]) -> set[str]:
    """Word groups used by a large share of the café's notes and in every theme: in a café
    about a village, its name; in a language without a function-word list, its function words."""
    notes = [set(keys) for group in groups for keys in group]
    if len(groups) < 3 or len(notes) < 15:
        return set()
    used = Counter(k for keys in notes for k in keys)
    common = {k for k, c in used.items() if c >= CAFE_WORD_SHARE * len(notes)}
    return {k for k in common if all(any(k in keys for keys in group) for group in groups)}


def _counts(group: list[set]) -> Counter:
    return Counter(t for terms in group for t in terms)


def _parts(term: Term) -> set[str]:
    return set(term) if isinstance(term, tuple) else {term}


def _keywords(scores: dict, counts: Counter, vocabulary: textlib.Vocabulary, wording: textlib.Wording) -> list[str]:
    """Up to 8 one-word terms by score; used by two notes of the theme unless too few are;
    words mostly written as verbs or adjectives ("bygga", "flexibla") after the others."""
    ranked = sorted((t for t in scores if isinstance(t, str) and not _fragment(t, vocabulary)),
                    key=lambda t: (t in vocabulary.describing, -scores[t], vocabulary.shown[t]))
    shared = [t for t in ranked if counts[t] >= 2]
    chosen = shared if len(shared) >= MIN_KEYWORDS else shared + [t for t in ranked if counts[t] < 2]
    words: list[str] = []
    for t in chosen:
        word = wording.form(t)
        # A typo ("nednaför" beside "nedanför") is the same keyword.
        if not any(w.lower() == word.lower() or near_duplicates(w, word) for w in words):
            words.append(word)
        if len(words) == MAX_KEYWORDS:
            break
    return words


def _label_terms(scores: dict, counts: Counter, vocabulary: textlib.Vocabulary, wording: textlib.Wording,
                 phrases: bool = True) -> list[str]:
    """The label's terms: the best-scoring terms used by two notes (any, if none is), with no
    word group twice; a name (a place, mostly) only when too few other terms are left. With
    `phrases`, a word mostly written within one phrase is shown as that phrase."""
    scores = {t: score * (1 + PLAN_WORD_BOOST * _plan_words(t, vocabulary)) for t, score in scores.items()}
    # Terms two notes use come first; a word of one note only fills a place left empty.
    ranked = sorted((t for t in scores if counts[t] >= 2 or isinstance(t, str)),
                    key=lambda t: (counts[t] < 2, -scores[t], str(t)))
    if not phrases:
        # An adjective written before one noun almost always is that phrase: "rent vatten".
        adjectives = vocabulary.describing - vocabulary.verbs
        ranked = [_as_phrase(t, scores, counts, first_of=adjectives) for t in ranked]
    # A label names things: no name (a place, mostly), no verb or adjective alone, no verb with
    # its object ("bygga hus"), no word of a fixed phrase ("till salu"), and no phrase ending
    # where a noun cannot ("byalaget drev", "bussen stannar"),
    # unless too few other terms are left. A verb's particle ("igenom") never: it is a fragment.
    ranked = [t for t in ranked if not _fragment(t, vocabulary)]
    topical = [t for t in ranked if not _parts(t) & (vocabulary.names | vocabulary.fixed)
               and not _parts(t) <= vocabulary.describing
               and not (isinstance(t, tuple) and (t[0] in vocabulary.verbs or t[1] in vocabulary.describing))]
    pool = topical if len(topical) >= LABEL_TERMS else ranked
    chosen: list[Term] = []
    used: set[str] = set()
    for t in pool:
        if _parts(t) & used:
            continue
        t = _as_phrase(t, scores, counts) if phrases else t
        if not wording.reads_as_heading(t):
            # "de ideella uppgifterna": without its article the phrase does not agree
            # ("ideella uppgifterna"), with it it is no heading, and an indefinite form the notes
            # do not write ("uppgifter") would leave the label when checked against them
            # (`still_written`). The noun alone names the theme where the notes write it alone
            # too ("Föreningarna saknar pengar"); written only after the adjective it is vague
            # ("Uppgifterna"): the next term takes the place.
            if counts[t] >= counts[t[1]]:
                used |= _parts(t)
                continue
            t = t[1]
            if t in used:
                continue
        # Two label words written side by side in the notes are one phrase: "affordable housing".
        partner = next((c for c in chosen if phrases and isinstance(c, str) and isinstance(t, str)
                        and _written_together(c, t, counts)), None)
        if isinstance(partner, str) and isinstance(t, str):
            pair: Term = (partner, t) if counts[(partner, t)] >= counts[(t, partner)] else (t, partner)
            chosen[chosen.index(partner)] = pair
            used |= _parts(pair)
            continue
        if _parts(t) & used or any(_repeats(wording.phrase(t), wording.phrase(c)) for c in chosen):
            continue
        if len(chosen) == LABEL_TERMS and (
                scores[t] < THIRD_TERM_SHARE * scores[chosen[-1]]
                or len(make_label([wording.phrase(c) for c in [*chosen, t]])) > LABEL_MAX_CHARS):
            break
        chosen.append(t)
        used |= _parts(t)
        if len(chosen) == LABEL_TERMS + 1:
            break
    return [wording.phrase(t) for t in chosen]


def _as_phrase(term: Term, scores: dict, counts: Counter, first_of: Set[str] | None = None) -> Term:
    """A word the theme's notes mostly write within one phrase is shown as that phrase:
    "basic" as "basic income". With `first_of` (in a language that writes compounds as one
    word), only a phrase whose first word is of `first_of`: "rent vatten" for "rent" and for
    "vatten"."""
    if not isinstance(term, str):
        return term
    phrases = [p for p in scores if isinstance(p, tuple) and counts[p] >= PHRASE_NOTES
               and counts[p] >= PHRASE_SHARE * counts[term] and term in p and (first_of is None or p[0] in first_of)]
    return max(phrases, key=lambda p: (counts[p], scores[p], str(p))) if phrases else term


def _written_together(a: str, b: str, counts: Counter) -> bool:
    together = counts[(a, b)] + counts[(b, a)]
    return together >= PHRASE_NOTES and together >= PHRASE_SHARE * min(counts[a], counts[b])


def _repeats(a: str, b: str) -> bool:
    """A word of phrase `a` is a word of phrase `b` in another form or with a typo."""
    return any(_same_word(x, y) or near_duplicates(x, y) for x in a.split() for y in b.split())


def _same_word(a: str, b: str) -> bool:
    """Two forms of one word that the stemmer keeps apart ("bus"/"buses", "Bussi"/"busseja")."""
    a, b = a.lower(), b.lower()
    return a.startswith(b[:4]) if min(len(a), len(b)) >= 4 else a.startswith(b) or b.startswith(a)


def _fragment(term: Term, vocabulary: textlib.Vocabulary) -> bool:
    """A word of the term is an adverb that completes a verb ("igenom", "gjennom", "pois") or a
    function word typed with a phone's curly apostrophe ("won’t", "don’t"; the lists write "won't")."""
    return any(word in textlib.PARTICLES or ("’" in word and word.replace("’", "'") in textlib.any_function_words())
               for word in (vocabulary.shown[p].lower() for p in _parts(term)))


def _plan_words(term: Term, vocabulary: textlib.Vocabulary) -> float:
    """Share of a term's words that are plan vocabulary (a compound of one counts half)."""
    parts = [vocabulary.shown[p].lower() for p in (term if isinstance(term, tuple) else (term,))]
    return sum(plan_word_score(p) / 2 for p in parts) / len(parts)


def _top_keys(scores: dict, n: int = 5) -> list[str]:
    return sorted((t for t in scores if isinstance(t, str)), key=lambda t: (-scores[t], t))[:n]


def _plain(text: str) -> str:
    return " ".join(textlib.words(text))


def _mentions(sentence: str, key: str) -> bool:
    return any(w.startswith(key[:4]) for w in textlib.words(sentence))


def _spelling_support(texts: list[str]) -> Callable[[str], float]:
    """A text's share of words that another of `texts` also uses: a typo ("ndeanför") is
    written once, the word it stands for by many."""
    used = Counter(w for text in texts for w in set(textlib.words(text)))

    def support(text: str) -> float:
        found = textlib.words(text)
        return sum(used[w] >= 2 for w in found) / max(1, len(found))
    return support


# A remark in brackets, a leading one-word heading ("Viktigt:") and a trailing remark after a
# dash ("– flera sa samma sak"): what a table adds to a thought, not the thought.
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_LEADING_HEADING = re.compile(r"^[^\W\d_]{2,15}:\s+")
_TRAILING_REMARK = re.compile(r"\s+[–—-]\s+[^–—-]*$")


def _core(sentence: str) -> str:
    core = _TRAILING_REMARK.sub("", _LEADING_HEADING.sub("", _BRACKETED.sub("", sentence))).strip()
    return core if textlib.has_content_words(core) else sentence.strip()


@lru_cache(maxsize=100_000)  # quotes and summary ask of the same notes
def _personal(text: str) -> bool:
    """The text names a possible private person or had personal data masked."""
    return bool(names.find_names(text)) or bool(masked_kinds(text))


def _off_length(text: str) -> float:
    length = len(textlib.clean(text))
    return min(1.0, max(0, 30 - length) / 30 + max(0, length - 200) / 400)


def _as_sentence(sentence: str) -> str:
    sentence = sentence.strip()
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence if sentence[-1:] in ".!?" else sentence + "."
