"""Seating rotation between rounds: balanced tables, hosts stay, the rest move and meet new people."""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections import Counter

import pytest

from facilitation.rotation import (
    RotationError,
    assign_next_tables,
    random_assignment,
    repeated_pairs,
    simulate_evening,
)


def people(n):
    return [f"p{i:03d}" for i in range(n)]


def tables(n):
    return list(range(1, n + 1))


def seated(n_people, n_tables, seed=0):
    """People who sat down where they liked (balanced, random) for round one."""
    return random_assignment(people(n_people), tables(n_tables), 1, seed=seed)[0]


def table_sizes(seating, table_numbers):
    count = Counter(seating.values())
    return [count[t] for t in table_numbers]


def first_at_each_table(seating):
    hosts = {}
    for p in sorted(seating):
        hosts.setdefault(seating[p], p)
    return hosts


def rotated_evening(n_people, n_tables, rounds, hosts=True, seed=0):
    seatings = [seated(n_people, n_tables, seed)]
    table_hosts = first_at_each_table(seatings[0]) if hosts else None
    for r in range(1, rounds):
        seatings.append(assign_next_tables(seatings[-1], tables(n_tables), table_hosts, seatings[:-1], seed=r))
    return seatings


@pytest.mark.parametrize(
    ("n_people", "n_tables"),
    [(1, 1), (7, 1), (3, 5), (5, 5), (6, 5), (13, 4), (40, 8), (41, 8), (47, 8), (23, 6), (100, 7)],
)
def test_table_sizes_differ_by_at_most_one(n_people, n_tables):
    current = {p: 1 for p in people(n_people)}  # even when everyone crowded one table
    for before in (current, seated(n_people, n_tables)):
        after = assign_next_tables(before, tables(n_tables))
        sizes = table_sizes(after, tables(n_tables))
        assert max(sizes) - min(sizes) <= 1
        assert set(after) == set(before)


@pytest.mark.parametrize(("n_people", "n_tables"), [(3, 5), (13, 4), (41, 8)])
def test_table_sizes_count_hosts_too(n_people, n_tables):
    current = seated(n_people, n_tables)
    hosts = first_at_each_table(current)
    after = assign_next_tables(current, tables(n_tables), hosts)
    sizes = table_sizes(after, tables(n_tables))
    assert max(sizes) - min(sizes) <= 1


def test_hosts_stay_at_their_table():
    current = seated(40, 8)
    hosts = first_at_each_table(current)
    after = assign_next_tables(current, tables(8), hosts)
    assert all(after[host] == table for table, host in hosts.items())


def test_a_host_who_wandered_off_goes_back_to_the_table_they_host():
    current = seated(12, 3)
    hosts = first_at_each_table(current)
    host = hosts[1]
    current[host] = 2
    assert assign_next_tables(current, tables(3), hosts)[host] == 1


def test_a_table_whose_host_is_absent_is_seated_like_any_other():
    current = seated(12, 3)
    hosts = {1: "somebody-who-went-home", 2: first_at_each_table(current)[2]}
    after = assign_next_tables(current, tables(3), hosts)
    assert after[hosts[2]] == 2
    assert table_sizes(after, tables(3)) == [4, 4, 4]


def test_everyone_but_the_hosts_moves_to_another_table():
    for n_people, n_tables in [(40, 8), (12, 3), (9, 2), (400, 50)]:
        current = seated(n_people, n_tables)
        hosts = first_at_each_table(current)
        after = assign_next_tables(current, tables(n_tables), hosts)
        hosted = set(hosts.values())
        assert all(after[p] != current[p] for p in current if p not in hosted)


def test_people_move_when_there_are_no_hosts_either():
    current = seated(40, 8)
    after = assign_next_tables(current, tables(8))
    assert all(after[p] != current[p] for p in current)


def test_at_one_table_nobody_can_move():
    current = {p: 1 for p in people(6)}
    assert assign_next_tables(current, [1]) == current


def test_when_everyone_crowds_one_table_only_as_many_stay_as_balance_requires():
    current = {p: 1 for p in people(10)}
    after = assign_next_tables(current, [1, 2])
    assert table_sizes(after, [1, 2]) == [5, 5]


def test_the_same_seed_gives_the_same_seating_whatever_the_order_of_the_input():
    current = seated(40, 8)
    hosts = first_at_each_table(current)
    shuffled = dict(reversed(list(current.items())))
    first = assign_next_tables(current, tables(8), hosts, seed=7)
    again = assign_next_tables(shuffled, list(reversed(tables(8))), hosts, seed=7)
    assert first == again


@pytest.mark.parametrize("hosts", [True, False])
def test_rotation_repeats_far_fewer_pairs_than_random_seating(hosts):
    rotated = repeated_pairs(rotated_evening(40, 8, 4, hosts=hosts))
    random_pairs = []
    for seed in range(10):
        first = seated(40, 8, seed)
        table_hosts = first_at_each_table(first) if hosts else None
        rest = random_assignment(people(40), tables(8), 3, seed=seed + 100, hosts=table_hosts)
        random_pairs.append(repeated_pairs([first, *rest]))
    assert rotated < statistics.mean(random_pairs) / 4


def test_simulated_evening_reports_rotation_against_random():
    report = simulate_evening(40, 8, 4, seed=1)
    assert report["people"] == 40 and report["tables"] == 8 and report["rounds"] == 4
    assert report["rotation_repeated_pairs"] < report["random_repeated_pairs"]


def test_someone_who_ignored_the_advice_is_moved_on_from_where_they_actually_sat():
    seatings = rotated_evening(40, 8, 2, hosts=False)
    advised = assign_next_tables(seatings[-1], tables(8), history=seatings[:-1])
    stray = "p005"
    actual = dict(advised)
    actual[stray] = next(t for t in tables(8) if t != advised[stray])
    after = assign_next_tables(actual, tables(8), history=seatings, seed=3)
    assert after[stray] != actual[stray]
    sat_with = {p for p, t in actual.items() if t == actual[stray] and p != stray}
    assert not any(after[p] == after[stray] for p in sat_with)


def test_people_at_a_table_that_was_taken_away_are_seated_at_the_remaining_ones():
    current = {**seated(10, 2), "late": 9}
    after = assign_next_tables(current, [1, 2])
    assert set(after.values()) == {1, 2}
    assert table_sizes(after, [1, 2]) == [6, 5] or table_sizes(after, [1, 2]) == [5, 6]


def test_no_one_present_gives_an_empty_seating():
    assert assign_next_tables({}, tables(4)) == {}
    assert assign_next_tables({}, []) == {}


def test_people_but_no_tables_is_refused():
    with pytest.raises(RotationError, match="no tables"):
        assign_next_tables({"p": 1}, [])


def test_a_host_of_a_table_that_is_not_there_is_refused():
    with pytest.raises(RotationError, match="table 9"):
        assign_next_tables(seated(6, 2), [1, 2], hosts={9: "p000"})


def test_repeated_pairs_counts_each_pair_once_however_often_it_repeats():
    same = {"a": 1, "b": 1, "c": 2}
    assert repeated_pairs([same]) == 0
    assert repeated_pairs([same, same, same]) == 1
    assert repeated_pairs([same, {"a": 1, "b": 2, "c": 2}]) == 0
    assert repeated_pairs([]) == 0


def test_random_assignment_is_balanced_and_keeps_hosts():
    for seating in random_assignment(people(41), tables(8), 4, seed=2, hosts={3: "p000"}):
        sizes = table_sizes(seating, tables(8))
        assert max(sizes) - min(sizes) <= 1
        assert seating["p000"] == 3


def test_four_hundred_people_at_fifty_tables():
    seatings = rotated_evening(400, 50, 4)
    sizes = table_sizes(seatings[-1], tables(50))
    assert set(sizes) == {8}
    assert repeated_pairs(seatings) < 10


def test_rotation_needs_no_web_framework_or_database():
    web = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "jinja2")
    code = f"import sys, facilitation.rotation; print([m for m in {web!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
