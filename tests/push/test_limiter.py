"""The in-flight limit per push service: latencies go in, the limit moves between its floor and ceiling."""

from __future__ import annotations

import pytest

from push.limiter import LatencyLimit

FAST = 0.100
"""A push service 100 ms away that does not queue."""


def round_trip(limit: LatencyLimit, latency: float | list[float]) -> int:
    """Start as many requests as the limit allows, then answer them all; returns how many went out."""
    tickets = []
    while limit.has_room:
        tickets.append(limit.start())
    latencies = latency if isinstance(latency, list) else [latency] * len(tickets)
    for ticket, seconds in zip(tickets, latencies, strict=False):
        limit.finish(ticket, seconds)
    return len(tickets)


def test_grows_from_the_floor_to_the_ceiling_while_answers_stay_near_the_fastest() -> None:
    limit = LatencyLimit(64)
    assert limit.limit == 4
    seen = [round_trip(limit, FAST) for _ in range(20)]
    assert seen[0] == 4
    assert seen == sorted(seen)
    assert seen[-1] == 64
    assert max(seen) == 64
    assert round_trip(limit, FAST) == 64  # and stays there, never above
    assert limit.in_flight == 0


def test_shrinks_to_the_floor_while_answers_queue_and_never_below() -> None:
    limit = LatencyLimit(64, initial=64)
    round_trip(limit, FAST)  # the fastest answer: 100 ms
    seen = [round_trip(limit, 5 * FAST) for _ in range(60)]
    assert seen[0] == 64
    assert seen[1] < 64
    assert seen == sorted(seen, reverse=True)
    assert seen[-1] == 4
    assert min(seen) == 4


def test_a_queue_that_builds_with_the_limit_keeps_it_where_answers_stay_fast() -> None:
    # A service that answers in 1 ms and serves one request at a time: n in flight wait n ms.
    limit = LatencyLimit(64, initial=64, slack=0.0)
    sizes = []
    for _ in range(200):
        n = limit.limit
        sizes.append(round_trip(limit, [0.001 * (i + 1) for i in range(n)]))
    # It hovers where the queue starts (2 ms = twice the fastest answer at 2 in flight), far from 64.
    assert sizes[0] == 64
    assert 4 <= min(sizes[-50:]) <= max(sizes[-50:]) <= 8


def test_does_not_grow_a_limit_nobody_uses() -> None:
    limit = LatencyLimit(64)
    for _ in range(50):
        limit.finish(limit.start(), FAST)  # one request at a time, fast
    assert limit.limit == 4


def test_changes_once_per_round_trip_not_once_per_answer() -> None:
    limit = LatencyLimit(64, initial=64)
    round_trip(limit, FAST)
    round_trip(limit, 5 * FAST)  # 64 slow answers sent before any change: one step down
    assert limit.limit == int(64 * 0.9)


def test_a_few_slow_answers_among_fast_ones_do_not_shrink_it() -> None:
    limit = LatencyLimit(64, initial=32)
    round_trip(limit, FAST)
    before = limit.limit
    round_trip(limit, [5 * FAST if i % 4 == 0 else FAST for i in range(before)])
    round_trip(limit, [5 * FAST if i % 4 == 0 else FAST for i in range(limit.limit)])
    assert limit.limit > before


def test_throttling_shrinks_it_whatever_the_latency() -> None:
    limit = LatencyLimit(64, initial=40)
    tickets = [limit.start() for _ in range(40)]
    for ticket in tickets:
        limit.finish(ticket, FAST, throttled=True)
    assert limit.limit == 36


def test_connection_errors_neither_grow_nor_shrink_it() -> None:
    limit = LatencyLimit(64, initial=16)
    for _ in range(10):
        tickets = [limit.start() for _ in range(16)]
        for ticket in tickets:
            limit.finish(ticket, None)
    assert (limit.limit, limit.in_flight) == (16, 0)


def test_the_fastest_answer_is_forgotten_slowly_so_a_slower_path_is_learnt_again() -> None:
    limit = LatencyLimit(64, initial=8)
    round_trip(limit, 0.010)
    for _ in range(400):  # the path is now 10 times slower, for good
        round_trip(limit, 0.100)
    assert limit.limit == 64


def test_bounds() -> None:
    assert LatencyLimit(2).limit == 2  # a ceiling under the floor wins
    assert LatencyLimit(64, initial=1000).limit == 64
    assert LatencyLimit(64, initial=1).limit == 4
    with pytest.raises(ValueError, match="at least 1"):
        LatencyLimit(0)
    with pytest.raises(ValueError, match="backoff"):
        LatencyLimit(64, backoff=1.0)
