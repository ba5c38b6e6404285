"""Names of private persons in notes ("Gunnar på nummer 3 kör för fort"), found for the leader.

A name is flagged, not masked on its own: "Anna" may be the chapel, a name may belong to a
politician, and only a person can tell. The leader masks a flagged name with one click.

The rule, over SCB's most common first names and surnames (facilitation/data/SOURCE.md):
- a capitalised first name followed by a capitalised surname or first name ("Anna Lind") is a name;
- a capitalised first name alone is a name, unless it is also an everyday word or place
  (names_also_words.txt: "Bo", "Stig", "Björn") and starts a sentence, where any word is capitalised;
- a capitalised surname alone is a name where a sentence does not start, unless it is also a word
  or place ("Berg", "Holm").
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
    """The names of persons that `text` seems to mention, in order."""
    lists = _lists()
    words = list(_WORD.finditer(text))
    found: list[NameMatch] = []
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        token = word.group()
        starts_sentence = bool(_SENTENCE_END.search(text[: word.start()]))
        following = words[index + 1] if index + 1 < len(words) else None
        if token in lists.first:
            if following and text[word.end() : following.start()] == " " and _is_name_part(following.group(), lists):
                found.append(NameMatch(word.start(), following.end(), text[word.start() : following.end()]))
                skip_next = True
            elif token not in lists.also_words or not starts_sentence:
                found.append(NameMatch(word.start(), word.end(), token))
        elif token in lists.surnames and token not in lists.also_words and not starts_sentence:
            found.append(NameMatch(word.start(), word.end(), token))
    return found


def mask_names(text: str) -> str:
    """`text` with every name that find_names flags replaced by a placeholder."""
    masked, position = [], 0
    for name in find_names(text):
        masked += [text[position : name.start], NAME_PLACEHOLDER]
        position = name.end
    masked.append(text[position:])
    return "".join(masked)


def _is_name_part(token: str, lists: _NameLists) -> bool:
    return token in lists.surnames or (token in lists.first and token not in lists.also_words)
