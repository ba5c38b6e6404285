"""A token bucket per device."""

from facilitation.ratelimit import RateLimiter


def sends(limiter, key, count, now=0.0) -> list[bool]:
    return [limiter.allow(key, now) for _ in range(count)]


def test_a_new_device_may_send_a_full_burst_and_no_more():
    limiter = RateLimiter(capacity=3, refill_per_second=1)
    assert sends(limiter, "phone", 4) == [True, True, True, False]


def test_the_bucket_refills_at_its_rate():
    limiter = RateLimiter(capacity=3, refill_per_second=0.5)
    sends(limiter, "phone", 3)
    assert limiter.allow("phone", 1.0) is False  # half a token
    assert limiter.allow("phone", 2.0) is True  # one whole token after two seconds
    assert limiter.allow("phone", 2.0) is False


def test_a_refused_send_does_not_use_up_a_token():
    limiter = RateLimiter(capacity=1, refill_per_second=1)
    assert limiter.allow("phone", 0.0) is True
    assert sends(limiter, "phone", 5, now=0.5) == [False] * 5
    assert limiter.allow("phone", 1.0) is True


def test_a_long_pause_refills_the_bucket_only_up_to_its_capacity():
    limiter = RateLimiter(capacity=2, refill_per_second=1)
    sends(limiter, "phone", 2)
    assert sends(limiter, "phone", 3, now=3600.0) == [True, True, False]


def test_devices_have_buckets_of_their_own():
    limiter = RateLimiter(capacity=2, refill_per_second=0.01)
    assert sends(limiter, "flooding phone", 3) == [True, True, False]
    assert sends(limiter, "other phone", 2) == [True, True]


def test_a_steady_sender_within_the_rate_is_never_refused():
    limiter = RateLimiter(capacity=2, refill_per_second=1 / 3)  # 20 a minute
    assert all(limiter.allow("phone", float(second)) for second in range(0, 600, 3))
