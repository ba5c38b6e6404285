from facilitation.login_throttle import (
    ACCOUNT,
    KNOWN_BROWSER,
    SOURCE,
    Failures,
    after_failure,
    login_wait,
    wait_seconds,
)


def failures(rule, n, at=1000.0):
    state = Failures()
    for _ in range(n):
        state = after_failure(state, rule, at)
    return state


def test_the_first_few_failures_cost_no_wait():
    assert wait_seconds(failures(ACCOUNT, ACCOUNT.free_tries), ACCOUNT, 1000.0) == 0


def test_each_failure_past_the_free_ones_doubles_the_wait_up_to_the_longest():
    waits = [wait_seconds(failures(ACCOUNT, ACCOUNT.free_tries + n), ACCOUNT, 1000.0) for n in range(1, 5)]
    assert waits == [2, 4, 8, 16]
    assert wait_seconds(failures(ACCOUNT, 60), ACCOUNT, 1000.0) == ACCOUNT.longest_wait


def test_the_wait_runs_down_with_time():
    state = failures(ACCOUNT, ACCOUNT.free_tries + 3)  # 8 s
    assert wait_seconds(state, ACCOUNT, 1005.0) == 3
    assert wait_seconds(state, ACCOUNT, 1008.0) == 0


def test_a_counter_left_alone_long_enough_starts_over():
    state = failures(ACCOUNT, 20)
    later = 1000.0 + ACCOUNT.forget_after
    assert wait_seconds(state, ACCOUNT, later) == 0
    assert after_failure(state, ACCOUNT, later).count == 1


def test_a_known_browser_passes_the_accounts_and_the_sources_lockout():
    hammered = failures(ACCOUNT, 40)
    sprayed = failures(SOURCE, 40)
    assert login_wait(account=hammered, source=sprayed, known_browser=None, now=1001.0) > 0
    assert login_wait(account=hammered, source=sprayed, known_browser=Failures(), now=1001.0) == 0


def test_a_known_browser_that_guesses_waits_on_its_own_counter():
    guessing = failures(KNOWN_BROWSER, KNOWN_BROWSER.free_tries + 2)
    assert login_wait(account=Failures(), source=Failures(), known_browser=guessing, now=1000.0) == 4


def test_the_longer_of_the_accounts_and_the_sources_wait_applies():
    account = failures(ACCOUNT, ACCOUNT.free_tries + 1)  # 2 s
    source = failures(SOURCE, SOURCE.free_tries + 4)  # 16 s
    assert login_wait(account=account, source=source, known_browser=None, now=1000.0) == 16
    assert login_wait(account=account, source=Failures(), known_browser=None, now=1000.0) == 2
