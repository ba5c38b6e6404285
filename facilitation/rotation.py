"""Seating rotation: which table each person goes to when a round ends.

World Café practice: the host stays at the table, everyone else moves, and over the evening
people should meet as many new people as possible ("cross-pollination"). The advice is only
advice: whoever sits elsewhere is taken from where they actually sit next time.

`assign_next_tables` keeps table sizes within one of each other (hosts counted), never moves a
host, moves everyone else when the numbers allow it, and then seats as few people as it can
next to someone they have already sat with. A greedy seating is improved by swapping people
(and, when tables differ in size, moving one) while that lowers the cost.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import numpy as np

Seating = Mapping[str, int]  # person id (phone pseudonym) -> table number


class RotationError(ValueError):
    """Input that cannot describe a café's seating, e.g. a host for a table that is not there."""


def assign_next_tables(
    current: Seating,
    tables: Sequence[int],
    hosts: Mapping[int, str] | None = None,
    history: Sequence[Seating] = (),
    seed: int = 0,
) -> dict[str, int]:
    """The next table for every person in `current` (where people sit now).

    `hosts` maps a table to its host; hosts not present are ignored. `history` holds the
    seating of earlier rounds, so meetings are counted over the whole evening.
    """
    if not current:
        return {}
    table_list = sorted(set(tables))
    if not table_list:
        raise RotationError("There are people to seat but no tables.")
    people = sorted(current)
    pos = {p: i for i, p in enumerate(people)}
    col = {t: j for j, t in enumerate(table_list)}
    fixed = _host_columns(hosts or {}, pos, col)

    met = _meetings(people, [*history, current])
    # Staying put costs more than every possible meeting together, so the search first moves
    # everyone it can and only then minimises repeated meetings.
    stay = np.zeros((len(people), len(table_list)), dtype=np.int64)
    for p, t in current.items():
        if t in col and pos[p] not in fixed:
            stay[pos[p], col[t]] = 1 + int(met.sum())

    at = _greedy(met, stay, fixed, len(table_list), seed)
    at = _improve(met, stay, fixed, at)
    return {p: table_list[at[pos[p]]] for p in current}


def repeated_pairs(seatings: Iterable[Seating]) -> int:
    """How many distinct pairs of people sat at the same table in more than one round."""
    times: dict[tuple[str, str], int] = {}
    for seating in seatings:
        for group in _groups(seating):
            for pair in combinations(sorted(group), 2):
                times[pair] = times.get(pair, 0) + 1
    return sum(1 for n in times.values() if n > 1)


def random_assignment(
    people: Sequence[str],
    tables: Sequence[int],
    rounds: int,
    seed: int = 0,
    hosts: Mapping[int, str] | None = None,
) -> list[dict[str, int]]:
    """Balanced random seating for each round (hosts kept at their table): the baseline."""
    rng = random.Random(seed)
    hosts = hosts or {}
    hosted = set(hosts.values())
    seatings = []
    for _ in range(rounds):
        seating = {h: t for t, h in hosts.items()}
        size = {t: int(t in hosts) for t in tables}
        others = [p for p in people if p not in hosted]
        rng.shuffle(others)
        order = list(tables)
        rng.shuffle(order)  # so the extra seats fall on random tables
        for p in others:
            t = min(order, key=size.__getitem__)
            seating[p] = t
            size[t] += 1
        seatings.append(seating)
    return seatings


def simulate_evening(people: int, tables: int, rounds: int, seed: int = 0, with_hosts: bool = True) -> dict:
    """Repeated pairs over an evening seated by `assign_next_tables`, against random seating.

    Round one is a random seating (people sit where they like); with hosts, the first person at
    each table hosts it all evening. The random figure is the mean over five seeds.
    """
    ids = [f"p{i:04d}" for i in range(people)]
    table_list = list(range(1, tables + 1))

    def evening(s: int, rotate: bool) -> list[dict[str, int]]:
        first = random_assignment(ids, table_list, 1, seed=s)[0]
        hosts: dict[int, str] = {}
        if with_hosts:
            for p in sorted(first):
                hosts.setdefault(first[p], p)
        if not rotate:
            return [first, *random_assignment(ids, table_list, rounds - 1, seed=s + 1, hosts=hosts)]
        seatings = [first]
        for r in range(1, rounds):
            seatings.append(assign_next_tables(seatings[-1], table_list, hosts, seatings[:-1], seed=s + r))
        return seatings

    random_seeds = [seed * 1000 + k for k in range(5)]
    return {
        "rotation_repeated_pairs": repeated_pairs(evening(seed, rotate=True)),
        "random_repeated_pairs": float(
            np.mean([repeated_pairs(evening(s, rotate=False)) for s in random_seeds])
        ),
        "people": people,
        "tables": tables,
        "rounds": rounds,
    }


def _groups(seating: Seating) -> list[list[str]]:
    by_table: dict[int, list[str]] = {}
    for p, t in seating.items():
        by_table.setdefault(t, []).append(p)
    return list(by_table.values())


def _host_columns(hosts: Mapping[int, str], pos: dict[str, int], col: dict[int, int]) -> dict[int, int]:
    """Present hosts, as person index -> table column."""
    fixed: dict[int, int] = {}
    for table, person in hosts.items():
        if person not in pos:
            continue  # an absent host: the table simply has none this round
        if table not in col:
            raise RotationError(f"{person} hosts table {table}, which is not among the tables {sorted(col)}.")
        if pos[person] in fixed:
            raise RotationError(f"{person} is host of more than one table; a host stays at one table.")
        fixed[pos[person]] = col[table]
    return fixed


def _meetings(people: list[str], seatings: Sequence[Seating]) -> np.ndarray:
    """How many rounds each pair of present people has sat at the same table."""
    pos = {p: i for i, p in enumerate(people)}
    met = np.zeros((len(people), len(people)), dtype=np.int64)
    for seating in seatings:
        for group in _groups({p: t for p, t in seating.items() if p in pos}):
            idx = np.array([pos[p] for p in group])
            met[np.ix_(idx, idx)] += 1
    np.fill_diagonal(met, 0)
    return met


def _greedy(met: np.ndarray, stay: np.ndarray, fixed: dict[int, int], n_tables: int, seed: int) -> np.ndarray:
    """A first balanced seating: hosts first, then each person at the cheapest open table."""
    n = len(met)
    base, extra = divmod(n, n_tables)
    rng = np.random.default_rng(seed)
    at = np.full(n, -1)
    size = np.zeros(n_tables, dtype=np.int64)
    load = stay.copy()  # load[p, t]: cost of seating p at t given who sits there so far
    others = [p for p in rng.permutation(n) if p not in fixed]
    for p in [*fixed, *others]:
        full = extra == 0
        open_ = size < base if full else size <= base
        if p in fixed:
            t = fixed[p]
        else:
            # cheapest, then emptiest (keeps room for later people), then random
            cand = np.flatnonzero(open_)
            t = cand[np.lexsort((rng.random(len(cand)), size[cand], load[p, cand]))[0]]
        if size[t] == base:
            extra -= 1
        at[p] = t
        size[t] += 1
        load[:, t] += met[:, p]
    return at


def _improve(met: np.ndarray, stay: np.ndarray, fixed: dict[int, int], at: np.ndarray) -> np.ndarray:
    """Swap two people (or move one to a smaller table) while that lowers the total cost."""
    n, n_tables = stay.shape
    movable = np.ones(n, dtype=bool)
    movable[list(fixed)] = False
    rows = np.arange(n)
    onehot = np.zeros((n, n_tables), dtype=np.int64)
    onehot[rows, at] = 1
    load = met @ onehot + stay  # load[p, t]: cost of p at t given everyone else's seat
    never = np.iinfo(np.int64).max // 4
    for _ in range(20 * n):
        own = load[rows, at]
        cost_at = load[:, at]  # cost_at[p, q]: cost of p at q's table
        swap = cost_at + cost_at.T - 2 * met - own[:, None] - own[None, :]
        swap[(at[:, None] == at[None, :]) | ~movable[:, None] | ~movable[None, :]] = never
        p, q = divmod(int(swap.argmin()), n)
        best, to = swap[p, q], int(at[q])
        size = np.bincount(at, minlength=n_tables)
        if size.max() > size.min():
            move = load - own[:, None]
            move[(size[at] == size.min()) | ~movable] = never  # only from a bigger table...
            move[:, size == size.max()] = never  # ...to a smaller one
            mp, mt = divmod(int(move.argmin()), n_tables)
            if move[mp, mt] < best:
                best, p, q, to = move[mp, mt], mp, -1, mt
        if best >= 0:
            break
        a = at[p]
        at[p] = to
        load[:, a] -= met[:, p]
        load[:, to] += met[:, p]
        if q >= 0:  # a swap: q takes p's old seat
            at[q] = a
            load[:, to] -= met[:, q]
            load[:, a] += met[:, q]
    return at
