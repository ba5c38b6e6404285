from facilitation.disclosure import suppress_counts, suppress_small, total_shown


def test_counts_from_one_to_four_are_suppressed():
    assert [suppress_small(n) for n in range(7)] == [0, None, None, None, None, 5, 6]


def test_the_threshold_can_be_raised():
    assert suppress_small(7, threshold=10) is None
    assert suppress_small(10, threshold=10) == 10


def test_a_breakdown_suppresses_its_small_counts():
    assert suppress_counts({"Hallen": 12, "Myssjö": 3, "Oviken": 2}) == {"Hallen": 12, "Myssjö": None, "Oviken": None}


def test_a_lone_suppressed_count_takes_the_next_smallest_with_it_so_the_total_does_not_reveal_it():
    shown = suppress_counts({"Hallen": 12, "Myssjö": 3, "Oviken": 7})
    assert shown == {"Hallen": 12, "Myssjö": None, "Oviken": None}


def test_nothing_is_suppressed_when_all_counts_are_large_enough():
    assert suppress_counts({"Hallen": 12, "Oviken": 5}) == {"Hallen": 12, "Oviken": 5}
    assert suppress_counts({}) == {}


def test_the_total_is_suppressed_like_any_count():
    assert total_shown({"Hallen": 2, "Oviken": 1}) is None
    assert total_shown({"Hallen": 2, "Oviken": 3}) == 5
