"""Which counts public pages may show, decided once per process for every public page.

A small count in a small village points to people ("the two who wrote about the school"), so a
count from 1 to THRESHOLD − 1 is not shown (primary suppression). Zero is shown: no one is
behind it. But counts add up: a village's phones are the sum of its cafés', the process's total
the sum of its villages'. Decided page by page, one page shows what another hides, and the
total minus the others gives the hidden one back. So the whole process is decided at once, and
a shown count is hidden too (secondary suppression) while

- a hidden count follows from the shown ones by sums and differences, or
- the hidden parts of a shown total are so small together that they are as good as shown (two
  hidden counts adding up to 2 are 1 and 1: zeros are shown, so each hidden count is at least 1).

Every public page, chart and read then looks its numbers up in the one decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np

THRESHOLD = 5

Cell = Hashable


@dataclass(frozen=True)
class Sum:
    """total = sum of parts, as the public pages show them (a table's rows and its total)."""

    total: Cell
    parts: tuple[Cell, ...]


@dataclass(frozen=True)
class Disclosure:
    counts: Mapping[Cell, int]
    sums: tuple[Sum, ...]  # how the counts add up on the public pages
    hidden: frozenset

    def shown(self, cell: Cell) -> int | None:
        """The count, or None when it must not be shown."""
        return None if cell in self.hidden else self.counts[cell]


def decide_disclosure(counts: Mapping[Cell, int], sums: Iterable[Sum], threshold: int = THRESHOLD) -> Disclosure:
    """Hide the small counts, then as few others as it takes that no hidden count can be
    worked out from the shown ones."""
    sums = list(sums)
    hidden = {cell for cell, count in counts.items() if 0 < count < threshold}
    totals = {s.total for s in sums}
    while (weak := _weak_spot(counts, sums, hidden, threshold)) is not None:
        problem, candidates = weak
        # Give away as little as possible: a small count before a large one, never a zero
        # unless nothing else is left, a row before a total (totals are what people look for);
        # and first of all one that mends the weak spot by itself.
        candidates.sort(key=lambda cell: (counts[cell] == 0, cell in totals, counts[cell]))
        mending = (c for c in candidates if _mended(problem, counts, sums, hidden | {c}, threshold))
        hidden.add(next(mending, candidates[0]))
    return Disclosure(dict(counts), tuple(sums), frozenset(hidden))


def derivable(hidden: Iterable[Cell], sums: Iterable[Sum]) -> set[Cell]:
    """The hidden cells that the sums pin down once every other cell is known: those whose unit
    vector lies in the row space of the sums restricted to the hidden cells."""
    index = {cell: i for i, cell in enumerate(dict.fromkeys(hidden))}
    rows = []
    for s in sums:
        row = np.zeros(len(index))
        for cell, sign in ((s.total, 1.0), *((part, -1.0) for part in s.parts)):
            if cell in index:
                row[index[cell]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    _, singular, vt = np.linalg.svd(np.array(rows))
    free = vt[int((singular > 1e-9).sum()):]  # a basis of what the sums leave open
    return {cell for cell, i in index.items() if not np.any(np.abs(free[:, i]) > 1e-9)}


def _too_small(s: Sum, counts: Mapping[Cell, int], hidden: AbstractSet[Cell], threshold: int) -> bool:
    """Whether the hidden parts of a shown total are as good as shown: each is at least 1, so
    the largest can be at most their sum minus one for each of the others, and that must be
    able to reach the threshold."""
    hidden_parts = [part for part in s.parts if part in hidden]
    if s.total in hidden or not hidden_parts:
        return False
    return sum(counts[part] for part in hidden_parts) - (len(hidden_parts) - 1) < threshold


def _weak_spot(
    counts: Mapping[Cell, int], sums: Sequence[Sum], hidden: AbstractSet[Cell], threshold: int
) -> tuple[tuple, list[Cell]] | None:
    """What is not yet safe, and the shown cells one of which must be hidden as well to mend it."""
    for s in sums:
        if _too_small(s, counts, hidden, threshold):
            return ("small", s), [part for part in s.parts if part not in hidden] or [s.total]
    found = derivable(hidden, sums)
    for cell in (c for c in counts if c in found):  # in the table's order: the same every run
        shown = _shown_around(cell, sums, hidden)
        if shown:  # with none, the sums alone fix it (a zero they force): nothing more to hide
            return ("derivable", cell), shown
    return None


def _shown_around(cell: Cell, sums: Sequence[Sum], hidden: AbstractSet[Cell]) -> list[Cell]:
    """The shown cells that share a sum with `cell`, or with a hidden cell linked to it by sums:
    a hidden count can follow from a chain of sums, such as a village from the total minus a
    municipality minus another village."""
    linked, todo, shown = {cell}, [cell], []
    while todo:
        current = todo.pop()
        for s in sums:
            if current == s.total or current in s.parts:
                for other in (*s.parts, s.total):
                    if other in hidden and other not in linked:
                        linked.add(other)
                        todo.append(other)
                    elif other not in hidden and other not in shown:
                        shown.append(other)
    return shown


def _mended(
    problem: tuple, counts: Mapping[Cell, int], sums: Sequence[Sum], hidden: AbstractSet[Cell], threshold: int
) -> bool:
    kind, what = problem
    if kind == "small":
        return not _too_small(what, counts, hidden, threshold)
    return what not in derivable(hidden, sums)


# --- a process's public counts ----------------------------------------------------------------


@dataclass(frozen=True)
class CafeCounts:
    cafe_id: int
    village: str
    municipality: str
    phones: int
    notes: int


@dataclass(frozen=True)
class ThemeCounts:
    theme_id: int
    notes: int
    votes: int | None  # dots in a café's harvest vote; None for the process's own themes
    by_municipality: Mapping[str, int] = field(default_factory=dict)  # a joint process only


def names_municipalities_per_theme(page_municipalities: Iterable[str]) -> bool:
    """Whether a public page says under each theme which municipalities it came up in: only
    where the page's cafés lie in more than one, since otherwise every theme would name the same
    one (a village's page, or a joint process whose cafés so far were all in one municipality)."""
    return len(set(page_municipalities)) > 1


@dataclass(frozen=True)
class ProcessDisclosure:
    decision: Disclosure
    same_as: Mapping[tuple, Cell]  # a group of one is the same count as its one member

    def count(self, *name: str | int) -> int | None:
        """("phones" | "notes", "cafe", id | "village", name | "municipality", name | "total"),
        ("theme", id), ("votes", id) or ("theme_municipality", id, name): shown count or None."""
        return self.decision.shown(self.same_as.get(name, name))


def disclose_process(
    cafes: list[CafeCounts], themes: list[ThemeCounts], *, region: bool, threshold: int = THRESHOLD
) -> ProcessDisclosure:
    """Every count the public pages show of a process: per café, village, municipality (when
    several municipalities run it together) and in all; per theme, its dots and, in a region,
    its notes per municipality. Theme counts add up to no participation count (notes outside
    any theme are never shown), so they form sums only among themselves."""
    counts: dict[Cell, int] = {}
    sums: list[Sum] = []
    same_as: dict[tuple, Cell] = {}

    def group(name: tuple, members: list[Cell]) -> Cell:
        members = list(dict.fromkeys(members))
        if len(members) == 1:
            same_as[name] = members[0]
            return members[0]
        counts[name] = sum(counts[m] for m in members)
        sums.append(Sum(name, tuple(members)))
        return name

    for measure in ("phones", "notes"):
        cells = {}
        for cafe in cafes:
            cells[cafe.cafe_id] = (measure, "cafe", cafe.cafe_id)
            counts[cells[cafe.cafe_id]] = getattr(cafe, measure)
        villages = {}
        for village in dict.fromkeys(c.village for c in cafes):
            villages[village] = group((measure, "village", village), [cells[c.cafe_id] for c in cafes if c.village == village])
        tops = list(villages.values())
        if region:
            tops = []
            for municipality in dict.fromkeys(c.municipality for c in cafes):
                # A village lies in one municipality; should one name span two, its cafés count.
                members = [
                    villages[c.village] if all(o.municipality == municipality for o in cafes if o.village == c.village)
                    else cells[c.cafe_id]
                    for c in cafes if c.municipality == municipality
                ]
                tops.append(group((measure, "municipality", municipality), members))
        if tops:
            group((measure, "total"), tops)
        else:
            counts[(measure, "total")] = 0

    for theme in themes:
        counts[("theme", theme.theme_id)] = theme.notes
        if theme.votes is not None:
            counts[("votes", theme.theme_id)] = theme.votes
        parts = []
        for municipality, n in theme.by_municipality.items():
            counts[("theme_municipality", theme.theme_id, municipality)] = n
            parts.append(("theme_municipality", theme.theme_id, municipality))
        if len(parts) == 1:
            del counts[parts[0]]
            same_as[parts[0]] = ("theme", theme.theme_id)
        elif parts:
            sums.append(Sum(("theme", theme.theme_id), tuple(parts)))

    return ProcessDisclosure(decide_disclosure(counts, sums, threshold), same_as)
