"""The local push service: VAPID and header checks, decryption, scripted failures, its HTTP API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

from push.endpoints import EndpointPolicy
from push.mockservice import MockPushService, ReceivedMessage, Script, create_app_from_env
from push.payload import Notification, encode_notification, encrypt
from push.sender import OutcomeKind, PushRequest, build_request, classify
from push.testclient import TestSubscriber
from push.vapid import VapidSigner, generate_vapid_keys
from tests.push import START, FakeClock

ORIGIN = "https://push.example.net:8443"
SUBJECT = "mailto:ops@ehandbook.example.org"
NOTIFICATION = Notification(id=42, title="Thông báo mới", body="Họp chi bộ 8:00", url="/notices/7")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(clock: FakeClock) -> MockPushService:
    return MockPushService(ORIGIN, clock=clock)


@pytest.fixture
async def client(service: MockPushService) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service), base_url=ORIGIN) as client:
        yield client


@pytest.fixture
def signer(clock: FakeClock) -> VapidSigner:
    return VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, clock=clock)


async def send(client: httpx.AsyncClient, request: PushRequest) -> httpx.Response:
    return await client.post(request.url, headers=request.headers, content=request.body)


def push_to(subscriber: TestSubscriber, signer: VapidSigner, payload: bytes | Notification = b"hi") -> PushRequest:
    return build_request(subscriber.subscription(), payload, signer, ttl=60)


async def test_round_trip_sign_encrypt_verify_decrypt(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    subscriber = service.create_subscriber("device-1")
    assert subscriber.endpoint == f"{ORIGIN}/push/device-1"
    policy = EndpointPolicy.from_setting("push.example.net:8443")
    subscription = policy.check_subscription(subscriber.endpoint, subscriber.p256dh_b64, subscriber.auth_b64)
    request = build_request(subscription, NOTIFICATION, signer, ttl=0, urgency="low", topic="notice-7")
    response = await send(client, request)
    assert response.status_code == 201
    assert response.headers["location"] == "/message/1"
    assert classify(response.status_code).kind is OutcomeKind.DELIVERED
    assert service.messages("device-1") == [
        ReceivedMessage(encode_notification(NOTIFICATION), ttl=0, urgency="low", topic="notice-7", subject=SUBJECT)
    ]
    assert (service.accepted, service.statuses[201]) == (1, 1)


async def test_many_messages_one_token_one_verification(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    subscribers = [service.create_subscriber() for _ in range(20)]
    responses = await asyncio.gather(*(send(client, push_to(s, signer, b"%d" % i)) for i, s in enumerate(subscribers)))
    assert {r.status_code for r in responses} == {201}
    assert len({push_to(s, signer).headers["Authorization"] for s in subscribers}) == 1
    assert len(service.verifier._tokens) == 1
    assert [service.messages(s.endpoint.rsplit("/", 1)[1])[0].plaintext for s in subscribers] == [
        b"%d" % i for i in range(20)
    ]


async def test_bad_signature_is_401(service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner) -> None:
    subscriber = service.create_subscriber()
    request = push_to(subscriber, signer)
    impostor = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT).authorization(subscriber.endpoint)
    token = impostor.split("t=", 1)[1].split(",", 1)[0]
    forged = {**request.headers, "Authorization": f"vapid t={token}, k={signer.public_key}"}
    response = await client.post(request.url, headers=forged, content=request.body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "vapid"
    assert "signature" in response.text
    missing = {k: v for k, v in request.headers.items() if k != "Authorization"}
    assert (await client.post(request.url, headers=missing, content=request.body)).status_code == 401
    assert classify(401).kind is OutcomeKind.CONFIG_ERROR
    assert service.messages(subscriber.endpoint.rsplit("/", 1)[1]) == []


async def test_expired_token_is_401(service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner) -> None:
    subscriber = service.create_subscriber()
    stale = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, clock=FakeClock(START - 13 * 3600))
    response = await send(client, push_to(subscriber, stale))
    assert response.status_code == 401
    assert "expired" in response.text


async def test_aud_without_the_port_is_403(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    # What webpush 1.0.6 would send: the port dropped from aud. The service must refuse it.
    subscriber = TestSubscriber.generate("https://push.example.net/push/x")
    request = push_to(subscriber, signer)
    service.create_subscriber("x")
    response = await client.post(request.url, headers=request.headers, content=request.body)
    assert response.status_code == 403
    assert f"aud must be {ORIGIN}" in response.text


async def test_restricted_subscription_checks_k(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    mine = service.create_subscriber(application_server_key=signer.public_key)
    other = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT)
    assert (await send(client, push_to(mine, other))).status_code == 403
    assert (await send(client, push_to(mine, signer))).status_code == 201


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"TTL": None}, 400, "TTL"),
        ({"TTL": "-1"}, 400, "TTL"),
        ({"TTL": "soon"}, 400, "TTL"),
        ({"Content-Encoding": "aesgcm"}, 415, "aes128gcm"),
        ({"Content-Encoding": None}, 415, "aes128gcm"),
        ({"Urgency": "urgent"}, 400, "Urgency"),
        ({"Topic": "not a topic"}, 400, "Topic"),
    ],
)
async def test_header_checks(
    service: MockPushService,
    client: httpx.AsyncClient,
    signer: VapidSigner,
    change: dict[str, str | None],
    status: int,
    reason: str,
) -> None:
    request = push_to(service.create_subscriber(), signer)
    headers = {k: v for k, v in {**request.headers, **change}.items() if v is not None}
    response = await client.post(request.url, headers=headers, content=request.body)
    assert response.status_code == status
    assert reason in response.text


async def test_body_for_someone_else_is_400(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    target = service.create_subscriber()
    stranger = TestSubscriber.generate(target.endpoint)
    request = push_to(stranger, signer)
    response = await client.post(request.url, headers=request.headers, content=request.body)
    assert response.status_code == 400
    assert "decrypt" in response.text


async def test_unknown_and_expired_subscriptions(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    stranger = TestSubscriber.generate(f"{ORIGIN}/push/nobody")
    assert (await send(client, push_to(stranger, signer))).status_code == 404
    subscriber = service.create_subscriber("leaving")
    service.unsubscribe("leaving")
    response = await send(client, push_to(subscriber, signer))
    assert response.status_code == 410
    assert classify(response.status_code).kind is OutcomeKind.GONE


async def test_scripted_failures(service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner) -> None:
    gone = service.create_subscriber(script=Script(status=410))
    throttled = service.create_subscriber(script=Script(status=429, retry_after="30"))
    flaky = service.create_subscriber(script=Script(status=500, times=2))
    strict = service.create_subscriber(script=Script(max_body=250))

    assert (await send(client, push_to(gone, signer))).status_code == 410
    response = await send(client, push_to(throttled, signer))
    assert response.status_code == 429
    assert classify(429, response.headers["retry-after"], now=START).retry_after == 30.0
    assert [(await send(client, push_to(flaky, signer))).status_code for _ in range(3)] == [500, 500, 201]
    assert (await send(client, push_to(strict, signer, b"x" * 100))).status_code == 201
    too_big = await send(client, push_to(strict, signer, b"x" * 150))  # 86 + 150 + 1 + 16 = 253 > 250
    assert too_big.status_code == 413
    assert classify(413).kind is OutcomeKind.TOO_LARGE
    assert service.statuses == {410: 1, 429: 1, 500: 2, 201: 2, 413: 1}


async def test_service_wide_size_limit(
    client: httpx.AsyncClient, service: MockPushService, signer: VapidSigner
) -> None:
    subscriber = service.create_subscriber()
    request = push_to(subscriber, signer)
    assert (
        await client.post(request.url, headers=request.headers, content=request.body + bytes(4000))
    ).status_code == 413


async def test_slow_answer_becomes_a_client_timeout(
    service: MockPushService, client: httpx.AsyncClient, signer: VapidSigner
) -> None:
    slow = service.create_subscriber(script=Script(delay=30.0))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(send(client, push_to(slow, signer)), timeout=0.05)
    assert classify(None).kind is OutcomeKind.RETRY
    service.set_script(slow.endpoint.rsplit("/", 1)[1], Script(delay=0.01))
    assert (await send(client, push_to(slow, signer))).status_code == 201


async def test_http_api(client: httpx.AsyncClient, signer: VapidSigner) -> None:
    created = await client.post("/subscriptions", json={"script": {"status": 500, "times": 1}})
    assert created.status_code == 201
    body: dict[str, Any] = created.json()
    assert body["endpoint"] == f"{ORIGIN}/push/{body['id']}"
    policy = EndpointPolicy.from_setting("push.example.net:8443")
    subscription = policy.check_subscription(body["endpoint"], body["keys"]["p256dh"], body["keys"]["auth"])
    request = build_request(subscription, b"via http", signer, ttl=5)
    assert (await send(client, request)).status_code == 500
    assert (await send(client, request)).status_code == 201
    messages = (await client.get(f"/subscriptions/{body['id']}/messages")).json()
    assert [msgspec.convert(m, ReceivedMessage).plaintext for m in messages] == [b"via http"]

    assert (await client.put(f"/subscriptions/{body['id']}/script", json={"status": 429})).status_code == 204
    assert (await send(client, request)).status_code == 429
    assert (await client.delete(f"/subscriptions/{body['id']}")).status_code == 204
    assert (await client.put(f"/subscriptions/{body['id']}/script", json={})).status_code == 204
    assert (await send(client, request)).status_code == 410
    assert (await client.get("/stats")).json() == {"accepted": 1, "statuses": {"500": 1, "201": 1, "429": 1, "410": 1}}

    named = (await client.post("/subscriptions", json={"id": "fixed"})).json()
    assert named["id"] == "fixed"
    assert (await client.post("/subscriptions")).status_code == 201
    assert (await client.get("/subscriptions/nobody/messages")).status_code == 404
    assert (await client.get("/nowhere")).status_code == 404
    assert (await client.get("/push/x")).status_code == 404
    assert (await client.post("/subscriptions", content=b"{not json")).status_code == 400
    assert (await client.post("/subscriptions", json={"script": {"delay": "slow"}})).status_code == 400


async def test_processes_sharing_a_secret_share_subscriptions(signer: VapidSigner, clock: FakeClock) -> None:
    secret = bytes(range(32))
    first = MockPushService(ORIGIN, secret=secret, clock=clock)
    second = MockPushService(ORIGIN, secret=secret, open_subscriptions=True, record=False, clock=clock)
    closed = MockPushService(ORIGIN, secret=secret, clock=clock)
    subscriber = first.create_subscriber("shared")
    request = push_to(subscriber, signer)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url=ORIGIN) as client:
        assert (await send(client, request)).status_code == 201
    assert second.accepted == 1
    assert second.messages("shared") == []  # record=False keeps only the counters
    assert TestSubscriber.derive(subscriber.endpoint, secret, "shared").p256dh == subscriber.p256dh
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=closed), base_url=ORIGIN) as client:
        assert (await send(client, request)).status_code == 404


async def test_shared_keys_and_delivery_counts(signer: VapidSigner, clock: FakeClock) -> None:
    secret = bytes(range(32))
    service = MockPushService(
        ORIGIN, secret=secret, open_subscriptions=True, record=False, shared_keys=True, count=True, clock=clock
    )
    keys = TestSubscriber.derive(f"{ORIGIN}/push/k1", secret, "k1")
    phones = [TestSubscriber(f"{ORIGIN}/push/k1.{n}", keys.private_key, keys.auth) for n in ("a", "b")]
    other = TestSubscriber.derive(f"{ORIGIN}/push/k2.c", secret, "k1")  # keys of k1 under k2: refused
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service), base_url=ORIGIN) as client:
        for phone in (phones[0], phones[0], phones[1]):
            assert (await send(client, push_to(phone, signer, NOTIFICATION))).status_code == 201
        assert (await send(client, push_to(phones[1], signer, b"not json"))).status_code == 201
        assert (await send(client, push_to(other, signer, NOTIFICATION))).status_code == 400
        answer = (await client.get("/deliveries")).json()
        assert sorted(map(tuple, answer["counts"])) == [("k1.a", 42, 2), ("k1.b", -1, 1), ("k1.b", 42, 1)]
        assert answer["first_at"] <= answer["last_at"]
        assert (await client.delete("/deliveries")).status_code == 204
        assert (await client.get("/deliveries")).json() == {"first_at": None, "last_at": None, "counts": []}
        assert (await client.put("/deliveries")).status_code == 404


async def test_lifespan_and_other_scopes(service: MockPushService) -> None:
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def record(message: Any) -> None:
        sent.append(dict(message))

    await service({"type": "lifespan"}, receive, record)
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
    await service({"type": "websocket"}, receive, record)
    assert len(sent) == 2


def test_factory_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EHB_MOCKPUSH_ORIGIN", raising=False)
    with pytest.raises(RuntimeError, match="EHB_MOCKPUSH_ORIGIN"):
        create_app_from_env()
    monkeypatch.setenv("EHB_MOCKPUSH_ORIGIN", "http://127.0.0.1:8123/")
    monkeypatch.setenv("EHB_MOCKPUSH_SECRET", "00" * 32)
    monkeypatch.setenv("EHB_MOCKPUSH_OPEN", "1")
    monkeypatch.setenv("EHB_MOCKPUSH_RECORD", "0")
    monkeypatch.setenv("EHB_MOCKPUSH_SHARED_KEYS", "1")
    monkeypatch.setenv("EHB_MOCKPUSH_COUNT", "1")
    app = create_app_from_env()
    assert (app.shared_keys, app.count) == (True, True)
    assert (app.origin, app.secret, app.open_subscriptions, app.record) == (
        "http://127.0.0.1:8123",
        bytes(32),
        True,
        False,
    )
    assert app.verifier.audience == "http://127.0.0.1:8123"


def test_encrypt_is_the_same_primitive_the_service_undoes() -> None:
    service = MockPushService(ORIGIN)
    subscriber = service.create_subscriber()
    assert subscriber.decrypt(encrypt(b"direct", subscriber.p256dh, subscriber.auth)) == b"direct"
