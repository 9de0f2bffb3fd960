"""How many requests may be in flight to one push service: a limit that follows the latency of its answers.

The requests a sender needs in flight are its rate times the round trip. Across the internet a push
service answers in about 100 ms, so 640 pushes a second to it take 64 requests in flight; a service that
answers in a millisecond needs a handful, and more only wait in its queue. Requests waiting there cost
nothing in rate but something in safety: when the worker dies, whatever the service accepted and the worker
never wrote down is sent again by the next run. A fixed number is right for one of the two only.

So the limit follows the answers, AIMD-style and at most once per round trip: a *window* is the next
``limit`` answers to requests sent after the last change (answers to earlier ones are not the current
limit's doing and are left out):

- while most answers of a window come back near the fastest seen (within ``tolerance`` times it plus
  ``slack`` for the sender's own event loop), nothing queues: the limit grows by its square root, if the
  window used it up (a limit nobody reaches proves nothing);
- when most come back slower, or the service throttles (429), requests are queueing: the limit shrinks
  by ``backoff``.

It stays between ``floor`` and ``ceiling`` (the configured ``--per-host``). The fastest answer seen drifts
up by ``drift`` per window, so a path that became slower for good is learnt again instead of shrinking
the limit forever. Pure arithmetic without a clock or an event loop: :class:`push.http.PushClient` admits
requests by it and feeds it the latencies it measures.
"""

from __future__ import annotations

import math

FLOOR = 4
"""The fewest requests in flight per host, whatever the latency."""
TOLERANCE = 2.0
"""An answer within this many times the fastest seen (plus ``slack``) did not queue."""
SLACK = 0.002
"""Seconds of latency allowed on top, for the sender's own event loop (encryption slices, other jobs)."""
BACKOFF = 0.9
"""The limit is multiplied by this after a window of slow answers."""
DRIFT = 0.01
"""Per window, the fastest answer seen is allowed to grow by this share (forgetting a path that changed)."""


class LatencyLimit:
    """The in-flight limit of one host, moved by the latency of its answers.

    Call :meth:`start` when a request is admitted (only while :attr:`has_room`) and :meth:`finish` when it
    ends; the limit changes only in :meth:`finish`.
    """

    def __init__(
        self,
        ceiling: int,
        *,
        floor: int = FLOOR,
        initial: int | None = None,
        tolerance: float = TOLERANCE,
        slack: float = SLACK,
        backoff: float = BACKOFF,
        drift: float = DRIFT,
    ) -> None:
        """Set up a host's limit.

        Args:
            ceiling: The most requests in flight (``--per-host``).
            floor: The fewest; lowered to ``ceiling`` when that is smaller.
            initial: Where the limit starts; ``floor`` by default (it grows within a few round trips).
            tolerance: Answers within ``tolerance`` times the fastest seen, plus ``slack``, did not queue.
            slack: Seconds of latency allowed on top of that.
            backoff: Factor applied to the limit after a window of slow answers, in (0, 1).
            drift: Share by which the fastest answer seen may grow per window.

        Raises:
            ValueError: A ceiling below 1, a tolerance below 1 or a backoff outside (0, 1).
        """
        if ceiling < 1:
            raise ValueError("the in-flight ceiling must be at least 1")
        if tolerance < 1 or not 0 < backoff < 1:
            raise ValueError("tolerance must be at least 1 and backoff between 0 and 1")
        self.ceiling = ceiling
        self.floor = max(1, min(floor, ceiling))
        self._limit = float(min(max(initial if initial is not None else self.floor, self.floor), ceiling))
        self.tolerance = tolerance
        self.slack = slack
        self.backoff = backoff
        self.drift = drift
        self.in_flight = 0
        self.fastest = math.inf
        """The fastest answer seen (seconds), drifting up per window."""
        self._issued = 0
        self._window_start = 0
        """Requests from this ticket on were sent under the current limit: their answers judge it."""
        self._fast = 0
        self._slow = 0
        self._used_up = False

    @property
    def limit(self) -> int:
        """Requests allowed in flight now."""
        return int(self._limit)

    @property
    def has_room(self) -> bool:
        """Whether another request may start."""
        return self.in_flight < self.limit

    def start(self) -> int:
        """Count a request as in flight.

        Returns:
            Its ticket, to pass to :meth:`finish`.
        """
        self.in_flight += 1
        if self.in_flight >= self.limit:
            self._used_up = True
        ticket = self._issued
        self._issued += 1
        return ticket

    def finish(self, ticket: int, latency: float | None, *, throttled: bool = False) -> None:
        """A request ended; let its latency move the limit.

        Args:
            ticket: What :meth:`start` returned for it.
            latency: Seconds from start to answer; None when no answer came (a connection error says
                nothing about queueing).
            throttled: The service answered 429: it wants fewer requests, whatever the latency.
        """
        self.in_flight -= 1
        if latency is None and not throttled:
            return
        if latency is not None:
            self.fastest = min(self.fastest, latency)
        if ticket < self._window_start:
            return  # sent under the previous limit: it says nothing about this one
        if throttled or latency is None or latency > self.fastest * self.tolerance + self.slack:
            self._slow += 1
        else:
            self._fast += 1
        if self._fast + self._slow >= self.limit:
            self._close_window()

    def _close_window(self) -> None:
        if self._slow > self._fast:
            self._limit = max(float(self.floor), self._limit * self.backoff)
        elif self._used_up:
            self._limit = min(float(self.ceiling), self._limit + math.sqrt(self._limit))
        self.fastest *= 1 + self.drift
        self._window_start = self._issued
        self._fast = self._slow = 0
        self._used_up = self.in_flight >= self.limit
