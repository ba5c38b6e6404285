from itertools import chain

import numpy as np

from facilitation.disclosure import (
    THRESHOLD,
    CafeCounts,
    Sum,
    ThemeCounts,
    decide_disclosure,
    derivable,
    disclose_process,
    names_municipalities_per_theme,
)


def shown_of(decision):
    return {cell: decision.shown(cell) for cell in decision.counts}


def determined_by_rank(hidden, sums):
    """Independent of the module: for each hidden cell, whether appending its unit vector to
    the sums' matrix (over the hidden cells only) leaves the rank unchanged."""
    hidden = list(hidden)
    matrix = np.array([[(c == s.total) - (c in s.parts) for c in hidden] for s in sums if any(
        c in hidden for c in chain((s.total,), s.parts))] or [[0] * len(hidden)], dtype=float)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for i, cell in enumerate(hidden):
        unit = np.zeros((1, len(hidden)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(cell)
    return found


def test_counts_from_one_to_four_are_hidden_and_zero_is_shown():
    decision = decide_disclosure({n: n for n in range(7)}, [])
    assert shown_of(decision) == {0: 0, 1: None, 2: None, 3: None, 4: None, 5: 5, 6: 6}


def test_a_lone_small_row_takes_the_smallest_other_row_with_it_when_the_total_is_shown():
    counts = {"Hallen": 12, "Myssjö": 3, "Oviken": 7, "all": 22}
    decision = decide_disclosure(counts, [Sum("all", ("Hallen", "Myssjö", "Oviken"))])
    assert shown_of(decision) == {"Hallen": 12, "Myssjö": None, "Oviken": None, "all": 22}


def test_hidden_rows_that_add_up_to_too_little_take_one_more_with_them():
    # 1 and 1 hidden under a total of 14 would be known: both at least 1, together 2.
    counts = {"a": 1, "b": 1, "c": 12, "d": 30, "all": 44}
    decision = decide_disclosure(counts, [Sum("all", ("a", "b", "c", "d"))])
    assert decision.hidden == {"a", "b", "c"}


def test_nothing_is_hidden_when_every_count_is_large_enough_or_zero():
    counts = {"Hallen": 12, "Oviken": 0, "all": 12}
    assert decide_disclosure(counts, [Sum("all", ("Hallen", "Oviken"))]).hidden == set()


def test_a_small_total_hides_itself_and_one_of_its_two_rows():
    counts = {"a": 2, "b": 1, "all": 3}
    assert decide_disclosure(counts, [Sum("all", ("a", "b"))]).hidden == {"a", "b", "all"}


def test_a_hidden_count_cannot_be_worked_out_through_two_tables():
    # Villages by municipality and the process total: a village hidden in one breakdown must
    # not come back through the other.
    counts = {"v1": 2, "v2": 9, "v3": 20, "v4": 31, "m1": 11, "m2": 51, "all": 62}
    sums = [Sum("m1", ("v1", "v2")), Sum("m2", ("v3", "v4")), Sum("all", ("m1", "m2"))]
    decision = decide_disclosure(counts, sums)
    assert "v1" in decision.hidden
    assert not determined_by_rank(decision.hidden, sums)


def test_derivable_agrees_with_a_rank_test():
    sums = [Sum("t", ("a", "b", "c")), Sum("a", ("x", "y"))]
    for hidden in ({"a"}, {"a", "b"}, {"x", "y"}, {"x", "a", "b"}, {"t", "a"}, {"x"}):
        assert derivable(hidden, sums) == determined_by_rank(hidden, sums), hidden


def test_random_tables_never_leave_a_hidden_count_derivable():
    rng = np.random.default_rng(7)
    for _ in range(60):
        cafes = [
            CafeCounts(i, f"v{rng.integers(0, 4)}", f"m{rng.integers(0, 2)}", int(rng.integers(0, 30)), int(rng.integers(0, 9)))
            for i in range(int(rng.integers(1, 7)))
        ]
        themes = [ThemeCounts(t, int(rng.integers(0, 12)), int(rng.integers(0, 8)),
                              {f"m{m}": int(rng.integers(0, 7)) for m in range(2)}) for t in range(3)]
        themes = [ThemeCounts(t.theme_id, sum(t.by_municipality.values()), t.votes, t.by_municipality) for t in themes]
        process = disclose_process(cafes, themes, region=True)
        decision = process.decision
        sums = decision.sums
        assert not (decision.hidden & determined_by_rank(decision.hidden, sums)), cafes
        assert all(decision.counts[c] == 0 or decision.counts[c] >= THRESHOLD
                   for c in decision.counts if c not in decision.hidden)
        for s in sums:  # hidden rows under a shown total leave room for a count of 5 or more
            hidden = [part for part in s.parts if part in decision.hidden]
            if hidden and s.total not in decision.hidden:
                assert sum(decision.counts[part] for part in hidden) - (len(hidden) - 1) >= THRESHOLD


def test_a_process_shows_the_same_count_wherever_it_appears():
    cafes = [CafeCounts(1, "Hallen", "Storsjö", 19, 100), CafeCounts(2, "Mörtsjön", "Storsjö", 1, 3),
             CafeCounts(3, "Åsen", "Storsjö", 25, 80)]
    process = disclose_process(cafes, [], region=False)
    # A village of one café is that café: one count, one decision.
    assert process.count("phones", "village", "Mörtsjön") is process.count("phones", "cafe", 2) is None
    assert process.count("phones", "total") == 45
    # Mörtsjön alone under a shown total would be known: the smallest other village goes too.
    assert process.count("phones", "cafe", 1) is None
    assert process.count("phones", "cafe", 3) == 25


def test_a_themes_counts_are_decided_alike_whichever_other_themes_a_page_loads():
    cafes = [CafeCounts(1, "Hallen", "Storsjö", 40, 40), CafeCounts(2, "Åsen", "Bergby", 3, 9)]
    themes = [ThemeCounts(7, 5, None, {"Storsjö": 3, "Bergby": 2}), ThemeCounts(8, 11, 4, {"Storsjö": 10, "Bergby": 1}),
              ThemeCounts(9, 30, 12, {"Storsjö": 22, "Bergby": 8})]
    everything = disclose_process(cafes, themes, region=True)
    names = [("phones", "total"), ("phones", "municipality", "Bergby"), ("notes", "cafe", 1)]
    assert [disclose_process(cafes, [], region=True).count(*n) for n in names] == [everything.count(*n) for n in names]
    for theme in themes:
        alone = disclose_process(cafes, [theme], region=True)
        for name in [("theme", theme.theme_id), ("votes", theme.theme_id),
                     *(("theme_municipality", theme.theme_id, m) for m in theme.by_municipality)]:
            if theme.votes is None and name[0] == "votes":
                continue
            assert alone.count(*name) == everything.count(*name), name
    assert everything.count("theme", 7) is None  # 3 and 2 under a total of 5: all three hidden
    assert everything.count("theme_municipality", 8, "Bergby") is None


def test_themes_name_their_municipalities_only_where_the_cafes_lie_in_more_than_one():
    assert names_municipalities_per_theme(["Storsjöns kommun", "Fjällåsens kommun", "Storsjöns kommun"])
    assert not names_municipalities_per_theme(["Storsjöns kommun", "Storsjöns kommun"])  # a joint process, one so far
    assert not names_municipalities_per_theme(["Storsjöns kommun"])  # a village's page
    assert not names_municipalities_per_theme([])
