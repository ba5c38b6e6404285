"""Text handling for notes: cleanup, words, function words, stems and language.

Languages with a stemmer and a function-word list: Swedish, English, German, Norwegian, Danish
and Finnish; a note in any other language keeps its words as written. Function words come from
the multilingual `stopwordsiso` lists (plus a few café words for Swedish and English), and a word
that a large share of the café's notes use is treated as one too (see facilitation/labels.py).

Stems only group word forms ("bussar", "bussen" -> "buss"); what a person reads is always a word
that was actually written, see `word_groups`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Set
from functools import cache, lru_cache
from typing import Any

import snowballstemmer
import stopwordsiso
import wordfreq

SWEDISH = "sv"
ENGLISH = "en"
GERMAN = "de"
NORWEGIAN = "no"
DANISH = "da"
FINNISH = "fi"
LANGUAGES = (SWEDISH, ENGLISH, GERMAN, NORWEGIAN, DANISH, FINNISH)
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
    själv själva självt
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

# Words found in comments on any subject: praise and blame, size, time, the verbs around a wish,
# and the municipality itself. They name no topic, so they are never a theme's keyword or label
# ("Bussen, arbetstider", not "Bussen, fungerar, starkt"). Not used to tell languages apart.
# Adjectives of praise and size: "rent och gott", "safe and clean" also tell that the word
# beside them is an adjective.
_GENERIC_ADJECTIVES = {
    SWEDISH: frozenset("""
        fantastisk fantastiskt fantastiska underbar underbart jättebra toppen superbra härlig härligt
        stark starkt starka viktig viktigt viktiga stor stort stora större störst liten litet lilla små
        mindre minst fin fint fina god gott goda enkel enkelt enkla svår svårt svåra lätt tydlig
        tydligt tydligare egen eget egna hel helt bra dålig dåligt dåliga ny nytt nya bättre
    """.split()),
    ENGLISH: frozenset("""
        great amazing awesome wonderful nice fine strong important big bigger small smaller little
        easy hard clear clearer own good better bad new
    """.split()),
}
_GENERIC_WORDS = _GENERIC_ADJECTIVES[SWEDISH] | _GENERIC_ADJECTIVES[ENGLISH] | frozenset("""
    sista första nästa precis knappt tvärtom runt ute
    inne bakom framför nedanför ovanför utanför innanför bredvid intill längs nära kvar annars
    absolut verkligen jätte extra dessutom tillsammans sällan ofta oftare
    hemifrån härifrån därifrån hemma borta byn byns
    fungerar fungera fungerade funkar funka passar passa passade saknar sakna saknas klarar klara
    gäller gälla hamnar hamna samla visa visar informera känner känna känns hoppas önskar önskan
    önskemål tänker tänka ligger ligga står stå håller hålla använda används låta leva finnas
    tid tiden gång gången gånger dag dagen dagar veckan vecka året år del delar sätt exempel
    kommun kommunen kommunens dela person personer vet veta föreslå föreslår jämfört snart koll
    last first next exactly around outside inside near enough
    works lack lacking lacks wish hope hoping feel think keep kept time times day days
    week year years part example council councils
""".split())

# Chat words that name no topic and are in no function-word list ("lol", "haha", "hmm").
_CHAT_WORD = re.compile(r"(?:lol|xd|omg|(?:h[aeiou])+h?|h+m+|m+h?m+)")

# A word: letters and digits, hyphens and apostrophes inside, at least one letter ("CO2", "4G",
# "E4", "16-åringar"); a number alone is no word.
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?:;]")
# Control characters, zero-width and direction marks, byte-order marks (pasted text brings them).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_STEMMERS = {SWEDISH: "swedish", ENGLISH: "english", GERMAN: "german", NORWEGIAN: "norwegian",
             DANISH: "danish", FINNISH: "finnish"}
# Languages that write compounds as one word: "bussturer" joins the group of "buss".
COMPOUNDING = {SWEDISH, NORWEGIAN, DANISH, GERMAN}
# Words after which a verb follows, seldom a noun: the infinitive mark, modal verbs, pronouns,
# "som" and a clause-opening adverb in a language that puts the verb second ("att bygga", "måste
# engagera", "vi pendlar", "som flyttar", "annars flyttar"); not "to" or "zu", which are also
# prepositions ("to town"); and words after which
# an adjective follows: the definite article, "very", the copula and verbs used as one ("de
# ideella", "det enklare", "är rent", "husen står tomma", "känns tryggt"). A word mostly written
# after one of them does not name a theme on its own.
_VERB_CUES = {
    SWEDISH: "att kan ska skall måste vill bör borde skulle kunna får som vi jag man ni du han hon "
             "annars därför då nu sedan sen",
    NORWEGIAN: "å kan skal må vil bør burde skulle kunne får som vi jeg man dere du han hun "
               "ellers derfor da nå",
    DANISH: "at kan skal må vil bør burde skulle kunne får som vi jeg man du han hun ellers derfor da nu",
    GERMAN: "kann können soll sollte muss müssen will wollen wir ich man sonst deshalb dann jetzt",
    ENGLISH: "can should must will would could may might we i they you",
}
_ADJECTIVE_CUES = {
    SWEDISH: "det den de väldigt är blir bli vara står stod ligger känns verkar",
    NORWEGIAN: "det den de veldig er blir bli være står sto ligger føles virker",
    DANISH: "det den de meget er bliver blive være står stod ligger føles virker",
    GERMAN: "sehr ist sind wird werden sein",
    ENGLISH: "very too is are be was were become becomes",
}
_CUES = {language: {**{w: "adjective" for w in _ADJECTIVE_CUES[language].split()},
                     **{w: "verb" for w in _VERB_CUES[language].split()}} for language in _VERB_CUES}
# Words joined by "och" are of one class: beside a known adjective ("gott och rent"), an adjective.
# Before one ("rent och gott vatten") only where both end alike, as adjectives agreeing do: in
# "fiber och bra mobiltäckning" the adjective goes with the word after it.
_COORDINATING = {SWEDISH: frozenset({"och", "eller"}), ENGLISH: frozenset({"and", "or"})}
_AGREEING_ENDINGS = {SWEDISH: ("t", "a")}
# A reflexive pronoun follows a verb: "lär sig", "engagera sig", "melde seg".
_REFLEXIVE = {SWEDISH: frozenset({"sig", "mig", "dig", "oss"}), NORWEGIAN: frozenset({"seg", "meg", "deg", "oss"}),
              DANISH: frozenset({"sig", "mig", "dig", "os"}), GERMAN: frozenset({"sich"})}
# Adverbs that complete a verb ("drev igenom", drove through; "flytta tillbaka", "muuttavat pois")
# and are in no function-word list: never a keyword or a label term, nor a phrase with one. Those
# that are never prepositions also tell that the word before them is a verb ("drev", "muuttavat");
# in German the particle ends the clause, far from its verb ("fährt am Dorf vorbei"), and
# "gjennom", "igennem", "forbi", "omkring" also stand before a noun ("veien gjennom bygda").
_PARTICLES = {
    SWEDISH: "igenom tillbaka ihop iväg isär undan omkring förbi framåt bakåt igång ikapp itu",
    NORWEGIAN: "gjennom tilbake sammen omkring unna forbi frem videre igjen",
    DANISH: "igennem tilbage sammen omkring væk frem forbi videre",
    GERMAN: "vorbei heraus hinaus herum fort weiter zurück zusammen",
    FINNISH: "pois ulos eteenpäin takaisin sisään",
}
PARTICLES = frozenset(" ".join(_PARTICLES.values()).split())
_VERB_PARTICLES = {
    SWEDISH: frozenset("igenom tillbaka ihop iväg isär undan".split()),
    NORWEGIAN: frozenset("tilbake sammen unna".split()), DANISH: frozenset("tilbage sammen væk".split()),
    FINNISH: frozenset("pois ulos eteenpäin takaisin".split()),
}
# Particles that are prepositions too: a particle (the word before it a verb) where no noun
# follows ("søknaden gikk gjennom i kommunestyret"), a preposition where one does ("veien gjennom
# bygda").
_PREPOSITION_PARTICLES = {NORWEGIAN: frozenset("gjennom forbi omkring".split()),
                          DANISH: frozenset("igennem forbi omkring".split())}
# Swedish, Norwegian and Danish put the finite verb right after a clause's subject, and a verb in
# the present tense ends in -r ("bussen stannar", "veien trenger", "vejen mangler"): a word ending
# in -r right after a definite noun in the singular is a verb. A plural noun ("bilar", "vägar")
# does not follow a definite noun without a comma or "och" between; an adjective in -t or a
# plural one in -a/-e ("gemensamt ansvar", "gröna parker") is no definite singular.
_SUBJECT_VERB_LANGUAGES = frozenset({SWEDISH, NORWEGIAN, DANISH})
PRESENT_AFTER_SUBJECT = "present"  # a verb cue this sure also keeps the verb out of a noun's compounds
_VOWELS = frozenset("aeiouyåäöæø")
DESCRIBING_SHARE = 0.5  # of a word's uses after such a cue (two at least)
# A word without a definite ending that the notes write only after one preposition, itself after
# a copula or first in a sentence, always in one form, stands in a fixed phrase and names nothing
# on its own: "blir till salu" (for sale), "På sikt", "är i tid". A topic is written elsewhere too
# ("i skolan", "skolan behöver lärare") or after a noun or verb ("gångväg med belysning").
_PREPOSITIONS = {
    SWEDISH: frozenset("i på till av för med om vid från under över hos mot utan efter".split()),
    NORWEGIAN: frozenset("i på til av for med om ved fra under over hos mot uten etter".split()),
    DANISH: frozenset("i på til af for med om ved fra under over hos mod uden efter".split()),
}
_COPULAS = {SWEDISH: frozenset("är blir bli vara var varit blev".split()),
            NORWEGIAN: frozenset("er blir bli være var vært ble".split()),
            DANISH: frozenset("er bliver blive være var været blev".split())}
# The endings of definite nouns in Swedish, Norwegian and Danish ("skolan", "huset", "vägarna").
_DEFINITE_ENDINGS, _DEFINITE_ENDINGS_LANGUAGES = ("n", "en", "et", "t", "na", "ne"), {SWEDISH, NORWEGIAN, DANISH}
# Swedish and Norwegian mark a noun definite twice after an adjective: "de ideella uppgifterna",
# "de frivillige lagene"; without the article the phrase does not agree ("ideella uppgifterna").
# Danish marks it once, with the article ("de frivillige foreninger"): the noun has no definite
# ending then, and without the article the phrase is a heading as it is.
_DEFINITE_ARTICLES = {language: frozenset({"den", "det", "de"}) for language in (SWEDISH, NORWEGIAN, DANISH)}
_BASE_ENDINGS = (*_DEFINITE_ENDINGS, "s")  # and the genitive: "byns", "allmänhetens"
# Endings only Swedish adjectives and adverbs have ("viktigt", "trevliga", "praktiskt",
# "kommunalt", "kommunala"), after a stem long enough that "fisk", "asfalt" and "skala" are not
# among them.
_SWEDISH_ADJECTIVE = re.compile(r"(?:[^\W\d_]{3,}(?:ligt?|liga|igt|iga|iskt?|iska)|[^\W\d_]{4,}(?:alt|ala))$")

# Letters that point to a language (weight per language) when stop words alone do not decide.
_LETTER_HINTS: dict[str, dict[str, float]] = {
    "å": {SWEDISH: 0.5, NORWEGIAN: 0.5, DANISH: 0.5}, "ä": {SWEDISH: 0.5, FINNISH: 0.5, GERMAN: 0.3},
    "ö": {SWEDISH: 0.5, FINNISH: 0.5, GERMAN: 0.3}, "æ": {NORWEGIAN: 1, DANISH: 1},
    "ø": {NORWEGIAN: 1, DANISH: 1}, "ü": {GERMAN: 1}, "ß": {GERMAN: 1},
}
_ASCII_FOLD = str.maketrans("åäöæøü", "aaoaou")


def clean(text: str) -> str:
    """Unicode-normalised text with collapsed whitespace and no control characters."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text or ""))
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """True if the text has at least one letter (an emoji-only note has none)."""
    return _LETTER.search(text or "") is not None


def words(text: str) -> list[str]:
    """The words of a text in lower case; digits stay inside words ("co2", "4g"), numbers
    alone and emoji are dropped."""
    return [w.lower() for w in _tokens(clean(text))]


def words_as_written(text: str) -> list[str]:
    """The words of a text as written, capitals kept ("NZ", "CO2")."""
    return _tokens(clean(text))


@cache
def function_words(language: str) -> frozenset[str]:
    """The function words of a language (empty for a language without a list)."""
    listed = frozenset(stopwordsiso.stopwords(language)) if language in LANGUAGES else frozenset()
    return listed | {SWEDISH: SWEDISH_STOP_WORDS, ENGLISH: ENGLISH_STOP_WORDS}.get(language, frozenset())


@lru_cache(maxsize=1)
def any_function_words() -> frozenset[str]:
    return frozenset().union(*(function_words(language) for language in LANGUAGES))


def is_content_word(word: str) -> bool:
    """Whether a word can name a topic: not a function word of any language, not a word of
    praise or size (nor one of them with two letters swapped: "ndeanför"), not a chat word,
    and longer than one letter."""
    lower = word.lower()
    return (len(lower) > 1 and lower not in any_function_words() and lower not in _GENERIC_WORDS
            and not _CHAT_WORD.fullmatch(lower) and not _swapped_letters_of_a_non_topic_word(lower))


@lru_cache(maxsize=1)
def _long_non_topic_words() -> frozenset[str]:
    # Long words only: among short ones, two swapped letters often make another real word
    # ("hundar", dogs, is "hundra" with two letters swapped).
    return frozenset(w for w in any_function_words() | _GENERIC_WORDS if len(w) >= 7)


def _swapped_letters_of_a_non_topic_word(lower: str) -> bool:
    """A thumb on a cold phone swaps two neighbouring letters: "ndeanför" is "nedanför"."""
    known = _long_non_topic_words()
    return len(lower) >= 7 and any(lower[:i] + lower[i + 1] + lower[i] + lower[i + 2:] in known
                                   for i in range(len(lower) - 1))


def has_content_words(text: str) -> bool:
    """False for "ja", "ok", "lol", "Bra!": notes that say nothing a theme could be about."""
    return any(is_content_word(w) for w in _tokens(clean(text)))


def detect_language(text: str) -> str | None:
    """One of `LANGUAGES`, "other" (letters, but none of those), or None when a note is too
    short to tell (the caller falls back on the café's main language).

    Votes by function words (a word shared by several languages splits its vote) and a few
    letters; Swedish typed without å, ä and ö ("ar for langt") is matched on folded words."""
    tokens = words(text)
    if not tokens:
        return None
    if not any(_is_latin(ch) for ch in "".join(tokens)):
        return OTHER_LANGUAGE
    votes = _language_votes(text)
    if not votes:
        return None
    (best, top), *rest = votes.most_common(2) + [(None, 0.0)]
    if rest[0][1] == top:
        return None
    if top < 1 and len(tokens) >= 4:  # several words, none of them a known function word
        return OTHER_LANGUAGE
    return best


def main_language(texts: list[str]) -> str:
    """The language most of the café writes in, by the votes of all its notes together: a
    Norwegian café whose notes one by one look Danish or Swedish is still Norwegian."""
    votes: Counter = Counter()
    for text in texts:
        votes.update(_language_votes(text))
    return votes.most_common(1)[0][0] if votes else SWEDISH


def detect_languages(texts: list[str]) -> list[str]:
    """The language of each note; notes too short to tell get the café's main language."""
    found = [detect_language(t) for t in texts]
    main = main_language(texts) if None in found else SWEDISH
    return [lang or main for lang in found]


def _language_votes(text: str) -> Counter[str]:
    lower = text.lower()
    folded = not any(ch in lower for ch in "åäöæøüß")
    votes: Counter[str] = Counter()
    for token in words(text):
        found = [lang for lang in LANGUAGES if token in function_words(lang) or (folded and token in _folded(lang))]
        for lang in found:
            votes[lang] += 1 / len(found)  # type: ignore[assignment]  # a split vote is a fraction
    for letter, hints in _LETTER_HINTS.items():
        if letter in lower:
            for lang, weight in hints.items():
                votes[lang] += weight  # type: ignore[assignment]  # a hint weighs less than a word
    return votes


def word_groups(texts: list[str], languages: list[str]) -> tuple[list[set[str]], dict[str, str]]:
    """The meaningful words of each text as groups of word forms, and the form to show per group.

    A group is a Snowball stem ("bussar", "bussen" -> "buss"); in compounding languages, compounds
    and forms the stemmer misses join the group of their first part when it is a word of the same
    texts ("bredbandet", "bussturer" -> "bredband", "buss"). What is shown is the form people
    wrote most: lower case for words only capitalised to start a sentence, case kept for names,
    acronyms and German nouns ("Stanford", "IT", "Schule")."""
    vocabulary = Vocabulary(texts, languages)
    return [set(keys) for keys in vocabulary.keys], vocabulary.shown


class Vocabulary:
    """The content words of a set of notes: per note its word groups in order, with breaks.

    `keys[i]` lists note i's word groups in reading order; `runs[i]` splits them where a
    function word or punctuation stands between (the pieces a phrase can be taken from);
    `shown[key]` is the written form to show across all the notes, `wording(rows)` the forms to
    show for some of them (a theme); `names` the groups written with a capital in most of
    their uses inside a sentence, in a language that does not capitalise its nouns (place names,
    mostly); `describing` the groups mostly written where a verb or an adjective stands ("måste
    bygga", "det enklare", "rent och gott"), and `verbs` those of them mostly where a verb stands
    ("bussen stannar"); `fixed` the words written only within a fixed phrase ("blir till salu")."""

    def __init__(self, texts: list[str], languages: list[str]):
        # Function words of every language a good part of the café writes in: a Swedish note
        # taken for Norwegian still loses "och".
        counts = Counter(languages)
        shared = frozenset().union(*(function_words(lang) for lang, c in counts.items() if c >= 0.2 * len(languages)))
        per_text = []
        for text, language in zip(texts, languages):
            ignored = function_words(language) | shared
            cues = _CUES.get(language, {})
            reflexive = _REFLEXIVE.get(language, frozenset()) | _VERB_PARTICLES.get(language, frozenset())
            prepositions = _PREPOSITION_PARTICLES.get(language, frozenset())
            articles = _DEFINITE_ARTICLES.get(language, frozenset())
            prepositions_before = _PREPOSITIONS.get(language, frozenset())
            copulas = _COPULAS.get(language, frozenset())
            verb_unless_noun = None  # found[i] before "gjennom": a verb unless a noun follows
            adjectives, coordinating = _GENERIC_ADJECTIVES.get(language, frozenset()), _COORDINATING.get(language, frozenset())
            agreeing = _AGREEING_ENDINGS.get(language, ())
            found: list[tuple[str, tuple[str, str | None], str, int, str | None, bool, str | None]] = []
            run, before, content_before, before_starts = 0, "", False, False
            # The two words before this one, and whether the first of them is found[-1].
            earlier, joined_to_found = "", False
            for word, starts_sentence, after_break in _words_with_position(clean(text)):
                lower = word.lower()
                acronym = len(word) > 1 and word.isupper()  # "IT" is not the stop word "it"
                if content_before and not after_break and lower in reflexive:  # "lär sig", "drev igenom": a verb
                    found[-1] = (*found[-1][:4], "verb", *found[-1][5:])
                after_particle, verb_unless_noun = verb_unless_noun, None
                if content_before and not after_break and lower in prepositions:
                    verb_unless_noun = len(found) - 1
                if (joined_to_found and not after_break and lower in adjectives
                        and lower.endswith(agreeing) and found[-1][1][0][-1] == lower[-1]):  # "rent och gott"
                    found[-1] = (*found[-1][:4], "adjective", *found[-1][5:])
                joined_to_found = content_before and not after_break and lower in coordinating
                subject_before = (content_before and not after_break and language in _SUBJECT_VERB_LANGUAGES
                                  and _definite_singular(before))
                content_before = len(lower) > 1 and (acronym or (lower not in ignored and is_content_word(lower)))
                if after_particle is not None and (after_break or not content_before):
                    found[after_particle] = (*found[after_particle][:4], "verb", *found[after_particle][5:])
                if content_before:
                    run += after_break
                    written = None if starts_sentence and not acronym else word
                    # VERB or ADJECTIVE when the word before says which of them follows.
                    cue = None if after_break else cues.get(before)
                    if not after_break and before in coordinating and earlier in adjectives:  # "gott och rent"
                        cue = "adjective"
                    if cue is None and subject_before and lower.endswith("r"):  # "bussen stannar"
                        cue = PRESENT_AFTER_SUBJECT
                    found.append((stem(lower, language), (lower, written), language, run, cue,
                                  not after_break and before in articles,
                                  before if not after_break and before in prepositions_before
                                  and (earlier in copulas or before_starts) else None))
                else:
                    run += 1
                earlier, before, before_starts = before, lower, starts_sentence
            if verb_unless_noun is not None:  # "gikk gjennom" ends the note
                found[verb_unless_noun] = (*found[verb_unless_noun][:4], "verb", *found[verb_unless_noun][5:])
            per_text.append(found)
        # A compound joins the group of its first part ("bussturer" to "buss"), but a verb is no
        # compound of a noun: "stannar" (stops) is not "stan" (the town) + "nar".
        stem_uses: Counter[str] = Counter()
        stem_verb_uses: Counter[str] = Counter()
        for found in per_text:
            for s, _, _, _, cue, *_ in found:
                stem_uses[s] += 1
                stem_verb_uses[s] += cue == PRESENT_AFTER_SUBJECT
        verb_stems = {s for s, n in stem_verb_uses.items() if n >= 2 and n >= DESCRIBING_SHARE * stem_uses[s]}
        roots = {s: root for s, root in _compound_roots({s for found in per_text for s, _, lang, *_ in found
                                                         if lang in COMPOUNDING}).items()
                 if s not in verb_stems or root in verb_stems}
        uses: Counter = Counter()
        cued_uses: Counter = Counter()
        language_of: dict[str, str] = {}
        prepositions_of: dict[str, set[str | None]] = defaultdict(set)  # the preposition before each use
        forms_of: dict[str, set[str]] = defaultdict(set)
        verb_uses: Counter = Counter()
        capitals: Counter = Counter()
        # Groups written in a language that ends its definite nouns in -en, -et, -na: which one.
        self._definite_language: dict[str, str] = {}
        longer: set[tuple[str, str]] = set()  # (group, word) whose stem is longer than the group's
        own_words: dict[str, set[str]] = {}  # per group, its words whose stem is the group's
        # Where each word group and each two groups side by side are written: (note, form); a
        # pair also whether a definite article stands before it ("de ideella uppgifterna").
        self._written: dict[str, list[tuple[int, str]]] = {}
        self._written_pairs: dict[tuple[str, str], list[tuple[int, tuple[Form, Form], bool]]] = {}
        casings: Counter = Counter()
        self.keys: list[list[str]] = []
        self.runs: list[list[list[str]]] = []
        for row, found in enumerate(per_text):
            keys: list[str] = []
            runs: dict[int, list[str]] = {}
            previous = None
            for s, form, language, run, cue, after_article, preposition in found:
                key = roots.get(s, s)
                if len(s) - len(key) >= 3:
                    longer.add((key, form[0]))
                else:
                    own_words.setdefault(key, set()).add(form[0])
                uses[key] += 1
                if language in _DEFINITE_ENDINGS_LANGUAGES:
                    self._definite_language[key] = language
                language_of[key] = language
                cued_uses[key] += cue is not None
                prepositions_of[key].add(preposition)
                forms_of[key].add(form[0])
                verb_uses[key] += cue in ("verb", PRESENT_AFTER_SUBJECT)
                if form[1] is not None and not form[1].split("-")[0].isupper():
                    # A name is written with a capital wherever it stands; "Housing" in one note
                    # among many "housing" is emphasis. German capitalises every noun. An acronym
                    # is no name, nor a compound it begins ("LIS-områden", "VA-frågan").
                    capitalised = form[1][:1].isupper() and language != GERMAN
                    capitals[key] += 1 if capitalised else -1
                if previous and previous[2] == run:
                    self._written_pairs.setdefault((previous[0], key), []).append((row, (previous[1], form), previous[3]))
                self._written.setdefault(key, []).append((row, form[0]))
                if form[1] is not None:
                    casings[form] += 1
                keys.append(key)
                runs.setdefault(run, []).append(key)
                previous = (key, form, run, after_article)
            self.keys.append(keys)
            self.runs.append(list(runs.values()))
        # A compound joined to the group of its first part ("skoltider" to "skol"), not another
        # form of a word the stemmer cut differently ("bredband" beside "bredbandet", stem "bredb").
        self._compounds = {(key, word) for key, word in longer
                           if not any(_same_word_forms(word, w) for w in own_words.get(key, ()))}
        self._casings: dict[str, Counter] = {}  # per word, how it is written where not starting a sentence
        for (lower, written), count in casings.items():
            self._casings.setdefault(lower, Counter())[written] += count
        cafe = self.wording(None)
        self.shown, self.phrase = {key: cafe.form(key) for key in self._written}, cafe.phrase
        self.names = {key for key, shown in self.shown.items() if capitals[key] > 0 and not shown.isupper()}
        self.describing = {key for key, n in cued_uses.items() if n >= 2 and n >= DESCRIBING_SHARE * uses[key]} | {
            key for key, forms in forms_of.items()
            if self._definite_language.get(key) == SWEDISH and all(_SWEDISH_ADJECTIVE.search(f) for f in forms)}
        self.verbs = {key for key in self.describing if verb_uses[key] * 2 > cued_uses[key]} | {
            key for key, shown in self.shown.items() if _verb_form(shown.lower(), language_of[key])}
        self.describing |= self.verbs | {key for key, shown in self.shown.items()
                                         if language_of[key] == ENGLISH and _ENGLISH_PARTICIPLE.fullmatch(shown.lower())}
        self.fixed = {key for key, before in prepositions_of.items()
                      if uses[key] >= 2 and len(forms_of[key]) == 1 and len(before) == 1 and None not in before
                      and not _definite(next(iter(forms_of[key])))}

    def wording(self, rows: Iterable[int] | None) -> Wording:
        """How the word groups of notes `rows` (a theme's; None: all) are shown: in forms those
        notes write, so that what a theme shows stays written in its own notes."""
        return Wording(self, None if rows is None else frozenset(rows))


# A word as (lower case, as written); "as written" is None where it starts a sentence.
Form = tuple[str, "str | None"]


class Wording:
    """The words of some notes of a `Vocabulary` (a theme's), shown as those notes write them;
    worked out for the few terms a theme shows, when asked."""

    def __init__(self, vocabulary: Vocabulary, rows: frozenset[int] | None):
        self._vocabulary, self._rows = vocabulary, rows
        self._forms: dict[str, str] = {}

    def form(self, key: str) -> str:
        """The form of a word group to show: the one shown for the whole café where these notes
        write it too (a word reads the same in every theme), else the word these notes write
        most (its base form, a compound only when mostly written as one, see
        `_most_common_form`); in its most used casing across the café, lower case on a tie.
        For a theme, a noun in its indefinite form, as a heading writes it (`indefinite`):
        "Föreningsliv och hemtjänst", not "Föreningslivet och hemtjänsten"."""
        if key not in self._forms:
            v = self._vocabulary
            written = Counter(word for row, word in v._written[key] if self._rows is None or row in self._rows)
            language = v._definite_language.get(key)
            cafe_forms = {w for _, w in v._written[key]} if language else set()
            word = v.shown[key].lower() if self._rows is not None and v.shown[key].lower() in written else (
                _most_common_form(written, bases=cafe_forms, compounds={w for w in written if (key, w) in v._compounds}))
            casings = v._casings.get(word) or Counter({word: 1})
            cased = max(casings, key=lambda f: (casings[f], f == word))
            if language and self._rows is not None and key not in v.names and key not in v.describing:
                base = indefinite(word, language, frozenset(cafe_forms))
                kept = len(os.path.commonprefix([word, base]))  # the written casing: "LIS-områden" -> "LIS-område"
                cased = cased[:kept] + base[kept:]
            self._forms[key] = cased
        return self._forms[key]

    def phrase(self, term: str | tuple[str, str]) -> str:
        """How a term is shown: a word group's form, or the words of a pair as these notes most
        often write them side by side ("öppen förskola")."""
        if isinstance(term, str):
            return self.form(term)
        return self._heading_phrase(term) or self._as_written(term)

    def reads_as_heading(self, term: str | tuple[str, str]) -> bool:
        """Whether a term can be shown as a heading in forms these notes write: a pair these
        notes write only after a definite article ("de ideella uppgifterna") only where they also
        write its noun in the indefinite plural ("uppgifter")."""
        return isinstance(term, str) or self._heading_phrase(term) is not None

    def _heading_phrase(self, term: tuple[str, str]) -> str | None:
        if (plain := self._written_phrase(term, after_article=False)) is not None:
            return plain
        # "de ideella uppgifterna" as a heading: "ideella uppgifter", where the notes write that;
        # the plural adjective is the same in both.
        adjective, noun = self._as_written(term).split(" ", 1)
        written = Counter(word for row, word in self._vocabulary._written[term[1]] if self._rows is None or row in self._rows)
        # "uppgifterna" is "uppgifter" + "na"; "lagene" is "lag" + "ene", "foreningene" "foreninger" - "er" + "ene".
        plural = [w for w in written if noun.lower() in {w + "na", w + "ene", w.removesuffix("er") + "ene"} and w != noun.lower()]
        if not plural:
            return None
        base = max(plural, key=lambda w: (written[w], w))
        return f"{adjective} {base}"

    def _as_written(self, term: tuple[str, str]) -> str:
        phrase = self._written_phrase(term, after_article=True)
        assert phrase is not None, term  # a term of these notes is written in them
        return phrase

    def _written_phrase(self, term: tuple[str, str], after_article: bool) -> str | None:
        """The words of a pair as these notes most often write them side by side ("öppen
        förskola"); with `after_article` False, only where no definite article stands before."""
        written = Counter(forms for row, forms, article in self._vocabulary._written_pairs[term]
                          if (self._rows is None or row in self._rows)
                          and (after_article or not (article and forms[1][0].endswith(_DEFINITE_ENDINGS))))
        if not written:
            return None
        (first, second), _ = written.most_common(1)[0]
        words = [lower if cased is None or self.form(key) == self.form(key).lower() else cased
                 for (lower, cased), key in zip((first, second), term)]
        return " ".join(words)


@lru_cache(maxsize=200_000)  # a café repeats its words: stem each once
def stem(word: str, language: str) -> str:
    if language not in _STEMMERS or not word.isalpha():
        return word
    stemmed = _stemmer(language).stemWord(word)
    # Snowball's Swedish sometimes cuts too much ("billigare" -> "bil"): keep the word then.
    return stemmed if len(stemmed) * 2 >= len(word) else word


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if _LETTER.search(t)]


@cache
def _folded(language: str) -> frozenset[str]:
    """Function words as typed on a keyboard without å, ä and ö ("är" -> "ar")."""
    return frozenset(w.translate(_ASCII_FOLD) for w in function_words(language))


def _compound_roots(stems: set[str]) -> dict[str, str]:
    """Each stem that starts with a shorter stem of at least 4 letters maps to the shortest."""
    roots = {}
    for s in stems:
        for length in range(4, len(s)):
            if s[:length] in stems:
                roots[s] = s[:length]
                break
    return roots


def _definite_singular(word: str) -> bool:
    """A noun's definite singular in Swedish, Norwegian or Danish: "vägen", "huset", "skolan",
    "byn" (not "station", "region": -ion is no ending)."""
    return word.endswith(("en", "et")) or (len(word) > 2 and word[-1] == "n" and word[-2] in _VOWELS
                                           and not word.endswith("ion"))


def _definite(word: str) -> bool:
    """A noun's definite form in Swedish, Norwegian or Danish: "skolan", "vägarna", "lagene"."""
    return _definite_singular(word) or word.endswith(("na", "ne"))


def _same_word_forms(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= 2


def _most_common_form(counter: Counter, bases: Set[str] = frozenset(), compounds: Set[str] = frozenset()) -> str:
    """The word (lower case) to show for a group whose forms `counter` counts.

    A compound joined to the group of its first part ("skoltider" to "skola") is shown only when
    the group's other words together are written less often than it. A definite or genitive form
    counts for its base where the base is among `bases` (the café's forms of the group, in a
    language that ends definite nouns so) or is counted too: a heading says "Skola och förskola",
    not "Skolan och förskolan" ("skolan" is "skola" + "n", "vägarna" is "vägar" + "na", "byns"
    is "byn" + "s" and so "by" + "n" + "s")."""
    by_word = Counter(counter)
    simple = Counter({w: c for w, c in by_word.items() if w not in compounds})
    if simple and sum(simple.values()) >= max((c for w, c in by_word.items() if w in compounds), default=0):
        by_word = simple
    if bases:
        known = set(by_word) | set(bases)
        folded: Counter = Counter()
        for word, count in by_word.items():
            folded[base_form(word, known)] += count
        by_word = folded
    # The most used word form, the shortest on a tie.
    return max(by_word, key=lambda w: (by_word[w], -len(w), w))


def base_form(word: str, known: Set[str]) -> str:
    """The shortest of `known` that `word` is with definite or genitive endings added
    ("skolans" -> "skolan" -> "skola"), or `word` itself."""
    while base := next((word[: -len(e)] for e in _BASE_ENDINGS if word.endswith(e) and word[: -len(e)] in known), None):
        word = base
    return word


# A heading writes a noun in its indefinite form ("Vindkraft och solceller"). A definite form
# may end in several ways ("vägarna" is "vägar" + "na", "lärarna" is "lärare" less "e" plus
# "na", "vattnet" is "vatten" less "e" plus "et", "området" is "område" + "t"): each ending, the
# longest first, gives a candidate, kept where the language's word list (wordfreq) knows it as
# a word nearly as common as the form written. "-n" and "-t" follow a vowel ("skolan",
# "området"; not "barn", "kommunalt"), or "-n" an "-el"/"-er" ("cykeln", "vintern").
_INDEFINITE_ENDINGS = {
    SWEDISH: (("arna", "ar"), ("arna", "are"), ("erna", "er"), ("orna", "or"), ("ena", "en"),
              ("net", "en"), ("let", "el"), ("ret", "er"), ("en", ""), ("et", ""), ("n", ""), ("t", "")),
    NORWEGIAN: (("ene", "er"), ("ene", ""), ("ne", ""), ("en", ""), ("et", ""), ("a", ""), ("n", "")),
    DANISH: (("erne", "er"), ("ene", "e"), ("ne", ""), ("en", ""), ("et", ""), ("n", ""), ("t", "")),
}
_WORD_LIST_LANGUAGE = {SWEDISH: "sv", NORWEGIAN: "nb", DANISH: "da"}
INDEFINITE_MARGIN = 0.5  # Zipf units (a tenfold per unit): "sjö" (4.0) for "sjön" (4.4)
_MIN_ZIPF = 1.0  # known to the list at all
# "-en" after "-e" is the plural of a neuter noun, whose definite form ends in "-et" ("områden",
# "området"), or the definite of another ("linjen", "linje"; no "linjet"): the plural stays.
_NEUTER_ZIPF = 2.0
# A compound the list does not know as well as its definite form ("fiberutbyggnaden",
# "strandskyddet") takes the indefinite form of its longest last part that is a common word of
# five letters at least ("utbyggnaden" -> "utbyggnad", "skyddet" -> "skydd").
_COMMON_ZIPF, _SHORTEST_PART = 3.0, 5


@lru_cache(maxsize=100_000)
def indefinite(word: str, language: str, written: frozenset[str] = frozenset()) -> str:
    """The indefinite form of a definite noun ("föreningslivet" -> "föreningsliv", "lärarna" ->
    "lärare", "fiberutbyggnaden" -> "fiberutbyggnad"), or `word` where none is known. A
    candidate among `written` (the café's forms of the word) comes first: "fisket" is "fiske"
    where the café writes that."""
    if language not in _INDEFINITE_ENDINGS:
        return word
    if base := _indefinite_candidate(word, language, written):
        return base
    if word.endswith("s") and (base := _indefinite_candidate(word[:-1], language, written, _zipf(word, language))):
        return base  # the genitive: "skolans"; not "dispens", far more common than "disp"
    for start in range(3, len(word) - _SHORTEST_PART + 1):
        if _zipf(word[start:], language) >= _COMMON_ZIPF:
            base = _indefinite_candidate(word[start:], language, frozenset())
            return word[:start] + base if base else word
    return word


def _indefinite_candidate(word: str, language: str, written: frozenset[str], zipf: float | None = None) -> str | None:
    candidates = []
    for ending, replacement in _INDEFINITE_ENDINGS[language]:
        stem = word[: -len(ending)]
        if (word.endswith(ending) and len(stem) >= 2
                and (ending not in ("n", "t") or stem[-1] in _VOWELS or (ending == "n" and stem.endswith(("el", "er"))))
                and not (ending == "n" and stem[-1] == "e" and _zipf(stem + "t", language) >= _NEUTER_ZIPF)):
            candidates.append(stem + replacement)
    least = max(_MIN_ZIPF, (_zipf(word, language) if zipf is None else zipf) - INDEFINITE_MARGIN)
    known = [c for c in candidates if _zipf(c, language) >= least and c not in any_function_words()]
    return next((c for c in known if c in written), known[0] if known else None)


@lru_cache(maxsize=200_000)  # a café asks of the same words again (its verbs, its labels)
def _zipf(word: str, language: str) -> float:
    return float(wordfreq.zipf_frequency(word, _WORD_LIST_LANGUAGE[language], wordlist="best"))


# A Swedish infinitive ("spela", "besöka") or present tense ("reser", "planerar") with no cue
# before it: the word list knows its past tense ("spelade", "reste") and hardly a definite noun
# it could also be ("spelan", "resena"; "skolan", "tomterna" and "vägarna" are common).
_PAST_ZIPF, _NO_NOUN_ZIPF = 3.0, 2.0
# An English past participle ("infected", "needed"): an adjective, no heading on its own.
_ENGLISH_PARTICIPLE = re.compile(r"[a-z]{3,}[^e]ed")


def _verb_form(word: str, language: str) -> bool:
    if language != SWEDISH or not word.isalpha():
        return False
    if word.endswith("a"):
        noun, past = word + "n", (word[:-1] + "ade", word[:-1] + "de", word[:-1] + "te")
    elif word.endswith(("ar", "er")):
        noun, past = word + "na", (word[:-2] + "ade", word[:-2] + "de", word[:-2] + "te")
    else:
        return False
    return (_zipf(noun, language) < _NO_NOUN_ZIPF
            and max(_zipf(form, language) for form in past) >= _PAST_ZIPF)


def inflected_in(word: str, written: Set[str]) -> bool:
    """`word` is in `written`, or a definite or genitive form of it is ("skola" as "skolan",
    "vatten" as "vattnet", "fiberutbyggnad" as "fiberutbyggnaden")."""
    return word in written or any(word + ending in written for ending in _BASE_ENDINGS) or any(
        indefinite(w, language) == word for w in written for language in _INDEFINITE_ENDINGS
        if w[:2] == word[:2])


def _words_with_position(text: str) -> Iterator[tuple[str, bool, bool]]:
    """(word, starts a sentence, punctuation or a gap stands before it) for each word."""
    start = 0
    for match in _TOKEN.finditer(text):
        if not _LETTER.search(match.group()):
            continue
        between = text[start : match.start()]
        yield (match.group(), start == 0 or _SENTENCE_END.search(between) is not None,
               start > 0 and between.strip() != "")
        start = match.end()


def _is_latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


@cache
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(_STEMMERS[language])
