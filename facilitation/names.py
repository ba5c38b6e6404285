"""Names of private persons in notes ("Gunnar på nummer 3 kör för fort"), found for the leader.

A name is flagged, not masked on its own: "Anna" may be the chapel, a name may belong to a
politician, and only a person can tell. The leader masks a flagged name with one click.

The rule, over SCB's most common first names and surnames (facilitation/data/SOURCE.md):
- a capitalised first name followed by a capitalised surname or first name ("Anna Lind") is a name;
- a capitalised first name alone is a name, unless it is also an everyday word or place
  (names_also_words.txt: "Bo", "Stig", "Björn") and starts a sentence, where any word is capitalised;
- a capitalised surname alone is a name where a sentence does not start, unless it is also a word
  or place ("Berg", "Holm");
- a first name in lower case followed by a surname is a name ("gunnar andersson"), unless either
  is also a word ("björn berg");
- a name in the genitive is the name ("Gunnar Anderssons traktor", "Anderssons lada").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from facilitation.privacy import NAME_PLACEHOLDER

DATA = Path(__file__).parent / "data"

# A capitalised word, double names included ("Anna-Lena"); all-caps words are not names here.
_WORD = re.compile(r"[A-ZÅÄÖÉÜ][a-zåäöéüè]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüè]+)?|\w+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"'«»”\n(\-–•*])\s*$")


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _NameLists:
    first: frozenset[str]
    surnames: frozenset[str]
    also_words: frozenset[str]


@cache
def _lists() -> _NameLists:
    def names(file: str) -> frozenset[str]:
        with open(DATA / file, encoding="utf-8", newline="") as rows:
            return frozenset(row["name"] for row in csv.DictReader(rows))

    lines = (DATA / "names_also_words.txt").read_text(encoding="utf-8").splitlines()
    also_words = frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return _NameLists(names("swedish_first_names.csv"), names("swedish_surnames.csv"), also_words)


def find_names(text: str) -> list[NameMatch]:
    """The names of persons that `text` seems to mention, in order, a full name as one."""
    lists = _lists()
    words = list(_WORD.finditer(text))
    found: list[NameMatch] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if following and text[word.end() : following.start()] == " " and _is_full_name(word[0], following[0], lists):
            found.append(NameMatch(word.start(), following.end(), text[word.start() : following.end()]))
            index += 2
            continue
        name = _without_genitive(word.group(), lists)
        starts_sentence = bool(_SENTENCE_END.search(text[: word.start()]))
        if (name in lists.first and (name not in lists.also_words or not starts_sentence)) or (
            name in lists.surnames and name not in lists.also_words and not starts_sentence
        ):
            found.append(NameMatch(word.start(), word.end(), word.group()))
        index += 1
    return found


def mask_names(text: str) -> str:
    """`text` with every name that find_names flags replaced by a placeholder."""
    masked, position = [], 0
    for name in find_names(text):
        masked += [text[position : name.start], NAME_PLACEHOLDER]
        position = name.end
    masked.append(text[position:])
    return "".join(masked)


def _is_full_name(first: str, second: str, lists: _NameLists) -> bool:
    if first in lists.first:
        last = _without_genitive(second, lists)
        if second.islower():  # "Gunnar andersson": a surname typed without its capital
            last = _without_genitive(second.capitalize(), lists)
            return last in lists.surnames and last not in lists.also_words
        return last in lists.surnames or (last in lists.first and last not in lists.also_words)
    # In lower case nothing but the pair tells a name from words: "gunnar andersson" is a name,
    # "björn berg" (bear, mountain) is not.
    if not (first.islower() and second.islower()):
        return False
    first, last = first.capitalize(), _without_genitive(second.capitalize(), lists)
    return first in lists.first and last in lists.surnames and not {first, last} & lists.also_words


def _without_genitive(word: str, lists: _NameLists) -> str:
    """`word` without its genitive s when that makes it a name ("Anderssons": "Andersson"); "Lars"
    and "Nils" stay as they are."""
    if word.endswith("s") and not _is_listed(word, lists) and _is_listed(word[:-1], lists):
        return word[:-1]
    return word


def _is_listed(word: str, lists: _NameLists) -> bool:
    return word in lists.first or word in lists.surnames
