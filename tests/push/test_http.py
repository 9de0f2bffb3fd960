"""The per-host gates of the push client: never more in flight than the host's limit, and nothing stuck."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping

from push.http import HostGate, PushClient
from push.limiter import LatencyLimit
from push.sender import OutcomeKind, PushRequest
from push.transport.base import Answer, TransportError

HOSTS = ("https://fcm.example", "https://apple.example")


class CountingPoster:
    """Answers after a short sleep; checks every request against its host's limit at the moment it starts."""

    def __init__(self, client: PushClient | None = None, *, fail_every: int = 0) -> None:
        self.client = client
        self.fail_every = fail_every
        self.in_flight: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.posts = 0
        self.over_limit = 0

    async def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        host = url.split("/")[2]
        self.posts += 1
        n = self.posts
        self.in_flight[host] += 1
        self.most[host] = max(self.most[host], self.in_flight[host])
        assert self.client is not None
        if self.in_flight[host] > self.client.gates[host].limit.limit:
            self.over_limit += 1
        try:
            await asyncio.sleep(0.001 * (n % 3))
            if self.fail_every and n % self.fail_every == 0:
                raise TransportError("connection reset")
            return Answer(201, {})
        finally:
            self.in_flight[host] -= 1

    async def aclose(self) -> None:
        pass


def request(n: int) -> PushRequest:
    return PushRequest(f"{HOSTS[n % 2]}/push/{n}", {}, b"x")


async def test_never_more_in_flight_per_host_than_its_limit_and_every_request_goes_out() -> None:
    poster = CountingPoster(fail_every=17)
    client = PushClient(poster, per_host=16)
    poster.client = client
    outcomes = await asyncio.gather(*(client.send(request(n)) for n in range(600)))
    assert poster.posts == 600
    assert poster.over_limit == 0
    assert max(poster.most.values()) <= 16
    kinds = Counter(o.kind for o in outcomes)
    assert kinds == {OutcomeKind.DELIVERED: 600 - 600 // 17, OutcomeKind.RETRY: 600 // 17}
    assert all(gate.limit.in_flight == 0 for gate in client.gates.values())


async def test_a_fixed_limit_when_the_floor_is_the_ceiling() -> None:
    poster = CountingPoster()
    client = PushClient(poster, per_host=8, floor=8)
    poster.client = client
    await asyncio.gather(*(client.send(request(2 * n)) for n in range(100)))
    assert poster.most["fcm.example"] == 8


async def test_a_waiter_cancelled_after_it_was_given_room_passes_the_room_on() -> None:
    gate = HostGate(LatencyLimit(1, floor=1))
    first = await gate.enter()
    second = asyncio.create_task(gate.enter())
    third = asyncio.create_task(gate.enter())
    await asyncio.sleep(0)
    gate.leave(first, 0.01)  # room for the second, which is cancelled before it runs
    second.cancel()
    ticket = await asyncio.wait_for(third, 1)
    assert second.cancelled()
    assert gate.limit.in_flight == 1
    gate.leave(ticket, 0.01)
    assert gate.limit.in_flight == 0


async def test_a_waiter_cancelled_while_waiting_leaves_the_queue() -> None:
    gate = HostGate(LatencyLimit(1, floor=1))
    first = await gate.enter()
    waiting = asyncio.create_task(gate.enter())
    await asyncio.sleep(0)
    waiting.cancel()
    await asyncio.sleep(0)
    gate.leave(first, 0.01)
    assert gate.limit.in_flight == 0
    assert await asyncio.wait_for(gate.enter(), 1) >= 0
