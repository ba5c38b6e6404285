"""Text handling for notes: cleanup, words, stop words, stems and language (Swedish, English).

Stems only group word forms ("bussar", "bussen" -> "buss"); what a person reads is always a word
that was actually written, see `word_groups`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import snowballstemmer

SWEDISH = "sv"
ENGLISH = "en"
OTHER_LANGUAGE = "other"

SWEDISH_STOP_WORDS = frozenset("""
    alla allt andra annan annat att av bara blev bli blir blivit de dem den denna deras dess
    dessa det detta dig din dina ditt du där då efter eller en er era ert ett ej från för före
    ha hade han hans har hela hen honom hon hennes hur här i icke ingen inget inga inom inte
    ju jag kan kunde man med mellan men mer mest mig min mina mitt mot mycket många ni nu när
    någon något några och också om oss på samma sedan sig sin sina sitt ska skall skulle som
    så sådan sådana till under upp ut utan vad var vara varför varit varje vars vem vi vid vilka
    vilken vilket vår våra vårt än är åt över även mm ex bl dvs osv typ kanske ganska lite
    väldigt ännu redan alltid aldrig fortfarande igen här där hit dit nog bra dålig fler flera
    mera måste behöver behövs vill finns fanns få får gör göra gjorde görs tycker tror känns
    kommer blev sätt saker sak både ny nya nytt bättre enligt vissa vilka andra annars också ett vara även genom
    därför eftersom medan innan sen dock nåt nån ta tar går gå ge ger se ser just bör borde
""".split())

ENGLISH_STOP_WORDS = frozenset("""
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves also get got make made
    many much may might must need needs lot lots like want well good better really thing things
    people one would could shall us etc e g ie eg let lets way ways still even every yet since
    already always never often sometimes something anything everything someone anyone everyone
    use used using go going new said say says
""".split())

_STOP_WORDS = SWEDISH_STOP_WORDS | ENGLISH_STOP_WORDS  # cafés mix the two languages

# Words found in comments on any subject: praise and blame, size, time, the verbs around a wish,
# and the municipality itself. They name no topic, so they are never a theme's keyword or label
# ("Bussen, arbetstider", not "Bussen, fungerar, starkt"). Not used to tell languages apart.
_GENERIC_WORDS = frozenset("""
    fantastisk fantastiskt fantastiska underbar underbart jättebra toppen superbra härlig härligt
    stark starkt starka viktig viktigt viktiga stor stort stora större störst liten litet lilla små
    mindre minst fin fint fina god gott goda enkel enkelt enkla svår svårt svåra lätt tydlig
    tydligt tydligare egen eget egna hel helt sista första nästa precis knappt tvärtom runt ute
    inne bakom framför längs nära kvar annars absolut verkligen jätte extra dessutom tillsammans
    fungerar fungera fungerade funkar funka passar passa passade saknar sakna saknas klarar klara
    gäller gälla hamnar hamna samla visa visar informera känner känna känns hoppas önskar önskan
    önskemål tänker tänka ligger ligga står stå håller hålla använda används låta leva finnas
    tid tiden gång gången gånger dag dagen dagar veckan vecka året år del delar sätt exempel
    kommun kommunen kommunens dela person personer vet veta föreslå föreslår jämfört snart koll
    great amazing awesome wonderful nice fine strong important big bigger small smaller little
    easy hard clear clearer own last first next exactly around outside inside near enough
    works lack lacking lacks wish hope hoping feel think keep kept time times day days
    week year years part example council councils
""".split())
_IGNORED_WORDS = _STOP_WORDS | _GENERIC_WORDS

# A few very common Finnish words: enough to tell that a note is in neither Swedish nor English.
_FINNISH_MARKERS = frozenset("ja on ei se että kun mutta tai ole ovat kanssa myös ovat meidän pitää olla".split())

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;]")
# Control characters, zero-width and direction marks, byte-order marks (pasted text brings them).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_STEMMERS = {SWEDISH: "swedish", ENGLISH: "english"}


def clean(text: str) -> str:
    """Unicode-normalised text with collapsed whitespace and no control characters."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text or ""))
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """True if the text has at least one letter (an emoji-only note has none)."""
    return _WORD.search(text or "") is not None


def words(text: str) -> list[str]:
    """The words of a text in lower case (letters only; numbers and emoji are dropped)."""
    return [w.lower() for w in _WORD.findall(clean(text))]


def detect_language(text: str) -> str | None:
    """"sv", "en", "other" (letters, but neither Swedish nor English), or None when a note is
    too short to tell (the caller falls back on the café's main language)."""
    tokens = words(text)
    if not tokens:
        return None
    if not any(_is_latin(ch) for ch in "".join(tokens)):
        return OTHER_LANGUAGE
    swedish = sum(t in SWEDISH_STOP_WORDS for t in tokens) + 2 * ("å" in text.lower())
    english = sum(t in ENGLISH_STOP_WORDS for t in tokens)
    finnish = sum(t in _FINNISH_MARKERS for t in tokens)
    if finnish > max(swedish, english):
        return OTHER_LANGUAGE
    if swedish > english:
        return SWEDISH
    if english > swedish:
        return ENGLISH
    if any(ch in "äö" for ch in text.lower()):
        return SWEDISH
    return None


def detect_languages(texts: list[str]) -> list[str]:
    """The language of each note; notes too short to tell get the most common language."""
    found = [detect_language(t) for t in texts]
    counts = Counter(lang for lang in found if lang in (SWEDISH, ENGLISH))
    main = counts.most_common(1)[0][0] if counts else SWEDISH
    return [lang or main for lang in found]


def word_groups(texts: list[str], languages: list[str]) -> tuple[list[set[str]], dict[str, str]]:
    """The meaningful words of each text as groups of word forms, and the form to show per group.

    A group is a Snowball stem ("bussar", "bussen" -> "buss"); in Swedish, compounds and forms
    the stemmer misses join the group of their first part when it is a word of the same texts
    ("bredbandet", "bussturer" -> "bredband", "buss"). What is shown is the form people wrote
    most: lower case for words only capitalised to start a sentence, case kept for names and
    acronyms ("Stanford", "IT")."""
    per_text = []
    for text, language in zip(texts, languages):
        found = []
        for word, starts_sentence in _words_with_position(clean(text)):
            lower = word.lower()
            acronym = len(word) > 1 and word.isupper()  # "IT" is not the stop word "it"
            if len(lower) > 1 and (acronym or lower not in _IGNORED_WORDS):
                # A capital that only starts a sentence says nothing about how the word is written.
                found.append((stem(lower, language), (lower, None if starts_sentence and not acronym else word), language))
        per_text.append(found)
    roots = _compound_roots({s for found in per_text for s, _, language in found if language == SWEDISH})
    forms: dict[str, Counter] = {}
    groups = []
    for found in per_text:
        keys = set()
        for s, written, _ in found:
            key = roots.get(s, s)
            forms.setdefault(key, Counter())[written] += 1
            keys.add(key)
        groups.append(keys)
    return groups, {key: _most_common_form(counter) for key, counter in forms.items()}


@lru_cache(maxsize=200_000)  # a café repeats its words: stem each once
def stem(word: str, language: str) -> str:
    if language not in _STEMMERS:
        return word
    stemmed = _stemmer(language).stemWord(word)
    # Snowball's Swedish sometimes cuts too much ("billigare" -> "bil"): keep the word then.
    return stemmed if len(stemmed) * 2 >= len(word) else word


def _compound_roots(stems: set[str]) -> dict[str, str]:
    """Each stem that starts with a shorter stem of at least 4 letters maps to the shortest."""
    roots = {}
    for s in stems:
        for length in range(4, len(s)):
            if s[:length] in stems:
                roots[s] = s[:length]
                break
    return roots


def _most_common_form(counter: Counter) -> str:
    """`counter` counts (lower case, as written) pairs; "as written" is None when the word
    started a sentence, so its capital says nothing."""
    by_word: Counter = Counter()
    casings: Counter = Counter()
    for (lower, written), count in counter.items():
        by_word[lower] += count
        if written is not None:
            casings[written] += count
    # The most used word form (shortest on a tie), then its most used casing, lower case on a tie.
    word = max(by_word, key=lambda w: (by_word[w], -len(w), w))
    candidates = {f: c for f, c in casings.items() if f.lower() == word} or {word: 1}
    return max(candidates, key=lambda f: (candidates[f], f == word))


def _words_with_position(text: str):
    start = 0
    for match in _WORD.finditer(text):
        between = text[start : match.start()]
        yield match.group(), start == 0 or _SENTENCE_END.search(between) is not None
        start = match.end()


def _is_latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


@lru_cache(maxsize=None)
def _stemmer(language: str):
    return snowballstemmer.stemmer(_STEMMERS[language])
