"""Plan categories: the default headings of a rural comprehensive plan, and a suggestion of
which heading a theme belongs under, from the words of its keywords and notes.

A suggestion is only that: a person confirms or changes it. Each default category has a small
Swedish and English lexicon; a category a leader added or renamed is matched on its own name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from facilitation.text import ENGLISH, ENGLISH_STOP_WORDS, SWEDISH, SWEDISH_STOP_WORDS, stem, words

DEFAULT_CATEGORIES = (
    "Bebyggelse och bostäder",
    "Kommunikationer och kollektivtrafik",
    "Service: skola, vård, omsorg, handel",
    "Näringsliv och arbete",
    "Natur, grönstruktur och vatten",
    "Kulturmiljö",
    "Friluftsliv",
    "Teknisk försörjning: bredband, vatten och avlopp, energi",
    "Landsbygdsutveckling i strandnära lägen (LIS)",
    "Mötesplatser och föreningsliv",
)

# Departments that views outside physical planning are often passed on to (free text is allowed).
DEPARTMENT_SUGGESTIONS = (
    "Skola och förskola",
    "Socialtjänst",
    "Äldreomsorg",
    "Kultur och fritid",
    "Räddningstjänst",
    "Gata och park",
    "Miljö- och hälsoskydd",
    "Näringslivsenheten",
    "Regionen (kollektivtrafik, vård)",
    "Trafikverket",
)

_LEXICON: dict[str, str] = {
    DEFAULT_CATEGORIES[0]: """
        bostad bostäder boende hus villa lägenhet hyresrätt bostadsrätt tomt tomter byggnad bygga
        bygglov nybyggnation detaljplan bebyggelse radhus äldreboende seniorboende inflyttning
        housing house houses apartment flat home homes building plot rent""",
    DEFAULT_CATEGORIES[1]: """
        buss bussar busshållplats kollektivtrafik tåg järnväg station pendling pendla väg vägar
        grusväg landsväg trafik cykel cykelväg gångväg gång bil bilar parkering anropsstyrd
        färdtjänst skolskjuts hållplats tidtabell turer avgång trafiksäkerhet hastighet
        bus buses train rail railway road roads traffic cycling bike bicycle commute commuting
        transport timetable parking""",
    DEFAULT_CATEGORIES[2]: """
        skola skolan skolor förskola fritids lärare elever vård vårdcentral sjukvård distriktssköterska
        apotek omsorg hemtjänst äldreomsorg affär affären butik handel lanthandel livsmedel mataffär
        bank post ombud bibliotek service
        school schools preschool teacher care health clinic doctor nurse pharmacy eldercare shop
        store grocery retail""",
    DEFAULT_CATEGORIES[3]: """
        jobb jobben arbete arbetsplats arbetsplatser företag företagare näringsliv näringslivet
        industri jordbruk skogsbruk lantbruk turism besöksnäring anställning entreprenör
        lokaler kontor distansarbete
        job jobs work employment business businesses company companies enterprise industry
        farming forestry tourism office""",
    DEFAULT_CATEGORIES[4]: """
        natur naturen skog skogen grönområde grönstruktur park parker sjö sjön sjöar älv älven å
        vatten vattnet våtmark strand stränder hav kust djur fåglar biologisk mångfald fiske
        nature forest woods green park lake lakes river water wetland shore coast wildlife
        biodiversity fish""",
    DEFAULT_CATEGORIES[5]: """
        kulturmiljö kulturarv historia historisk hembygd kyrka kyrkan gård gårdar byggnadsminne
        fornlämning kulturhus minnen tradition traditioner gamla
        heritage history historic historical church culture tradition traditions""",
    DEFAULT_CATEGORIES[6]: """
        friluftsliv vandring vandringsled leder skidspår skidor spår badplats bad badet fiske jakt
        skoter skoterled elljusspår motionsspår utflykt naturstig
        outdoor hiking trail trails skiing ski swimming beach hunting walking""",
    DEFAULT_CATEGORIES[7]: """
        bredband fiber internet uppkoppling mobiltäckning täckning mobilnät vatten avlopp
        vattenledning reningsverk va el elnät energi solceller vindkraft laddstolpe laddstolpar
        värme fjärrvärme sophämtning avfall återvinning
        broadband internet connection coverage mobile sewage sewer electricity energy power solar
        wind charging waste recycling""",
    DEFAULT_CATEGORIES[8]: """
        lis strandnära strandskydd strandtomt strandtomter sjönära sjötomt sjötomter strandlinje
        lakeside shoreline waterfront""",
    DEFAULT_CATEGORIES[9]: """
        mötesplats mötesplatser samlingslokal bygdegård bygdegården föreningshus förening föreningar
        föreningsliv ideell ideella eldsjälar träffpunkt café fika ungdomsgård idrottsförening
        gemenskap evenemang fest
        meeting place association associations club community volunteer volunteers events""",
}

# A theme's keywords say more about it than any one of its notes.
KEYWORD_WEIGHT = 3
# Stems at least this long also match as the first part of a compound ("bussturer" -> "buss",
# "bredbandsutbyggnad" -> "bredband"). Not as the last part: "utbyggnad" is not a "byggnad".
_COMPOUND_PART = 4


def suggest_category(categories: Iterable[str], keywords: Iterable[str], texts: Iterable[str] = ()) -> str | None:
    """The name of the category that best fits a theme, or None when no word points anywhere.

    `categories` are the process's category names in their order; a tie goes to the earlier."""
    categories = list(categories)
    theme_stems: Counter = Counter()
    for keyword in keywords:
        for stems in _word_stems(keyword):
            theme_stems[stems] += KEYWORD_WEIGHT
    for text in texts:
        for stems in _word_stems(text):
            theme_stems[stems] += 1
    best, best_score = None, 0
    for name in categories:
        lexicon = _lexicon_stems(name)
        score = sum(count * _match(stems, lexicon) for stems, count in theme_stems.items())
        if score > best_score:
            best, best_score = name, score
    return best


def _word_stems(text: str) -> list[frozenset[str]]:
    """Per word, its Swedish and English stems (notes mix the languages; both are tried)."""
    return [
        frozenset({stem(w, SWEDISH), stem(w, ENGLISH), w})
        for w in words(text)
        if len(w) > 1 and w not in SWEDISH_STOP_WORDS and w not in ENGLISH_STOP_WORDS
    ]


@lru_cache(maxsize=256)
def _lexicon_stems(name: str) -> frozenset[str]:
    text = _LEXICON.get(name, "") + " " + name
    return frozenset(s for group in _word_stems(text) for s in group if len(s) > 1)


def _match(word_stems: frozenset[str], lexicon: frozenset[str]) -> int:
    """2 for a word of the lexicon, 1 for a compound with one, else 0: "strandtomter" is LIS
    before it is a plot ("tomt") of any kind."""
    if word_stems & lexicon:
        return 2
    for s in word_stems:
        for entry in lexicon:
            if len(entry) >= _COMPOUND_PART and len(s) > len(entry) and s.startswith(entry):
                return 1
    return 0


@lru_cache(maxsize=100_000)  # a café names its words many times over: score each once
def plan_word_score(word: str) -> int:
    """2 when a word is in the default categories' lexicons, 1 for a compound of one ("bussturer"),
    else 0: the vocabulary planners use for their headings (used to name themes)."""
    lexicon = frozenset().union(*(_lexicon_stems(name) for name in DEFAULT_CATEGORIES))
    stems = _word_stems(word)
    return max((_match(s, lexicon) for s in stems), default=0)
