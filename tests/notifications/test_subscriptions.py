"""A member registers a phone for Web Push, refreshes it, sees it listed and removes it."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from api.app import create_app
from push.testclient import TestSubscriber
from tests.helpers import bearer
from tests.notifications.conftest import VAPID
from tests.servers import make_settings


def _fcm(name: str) -> TestSubscriber:
    return TestSubscriber.generate(f"https://fcm.googleapis.com/fcm/send/{name}:APA91b{uuid.uuid4().hex}")


def _body(subscriber: TestSubscriber) -> dict[str, Any]:
    # Exactly what PushSubscription.toJSON() gives.
    return {
        "endpoint": subscriber.endpoint,
        "expirationTime": None,
        "keys": {"p256dh": subscriber.p256dh_b64, "auth": subscriber.auth_b64},
    }


async def test_a_member_subscribes_refreshes_and_unsubscribes(client: AsyncTestClient[Any]) -> None:
    key = await client.get("/api/v1/push/vapid-public-key")
    assert key.json() == {"enabled": True, "public_key": VAPID.application_server_key}

    member = await bearer(client, "demo.member")
    phone = _fcm("phone")
    created = await client.post("/api/v1/push/subscriptions", headers=member, json=_body(phone))
    assert created.status_code == 201, created.text
    device = created.json()
    assert device["push_service"] == "fcm.googleapis.com"
    assert "keys" not in device
    assert "p256dh" not in device

    listed = await client.get("/api/v1/push/subscriptions", headers=member)
    assert [d["id"] for d in listed.json()] == [device["id"]]

    # The app sends it again on every open: same device, newer last_seen, no duplicate.
    again = await client.post("/api/v1/push/subscriptions", headers=member, json=_body(phone))
    assert again.status_code == 200, again.text
    assert again.json()["id"] == device["id"]
    assert again.json()["last_seen"] >= device["last_seen"]
    assert len((await client.get("/api/v1/push/subscriptions", headers=member)).json()) == 1

    # Someone else signs in on that phone: the endpoint moves to them.
    secretary = await bearer(client, "demo.secretary")
    moved = await client.post("/api/v1/push/subscriptions", headers=secretary, json=_body(phone))
    assert moved.json()["id"] == device["id"]
    assert (await client.get("/api/v1/push/subscriptions", headers=member)).json() == []
    gone = await client.delete(f"/api/v1/push/subscriptions/{device['id']}", headers=member)
    assert gone.status_code == 404, "another account's device is not mine to delete"

    deleted = await client.delete(f"/api/v1/push/subscriptions/{device['id']}", headers=secretary)
    assert deleted.status_code == 204
    assert (await client.get("/api/v1/push/subscriptions", headers=secretary)).json() == []


async def test_the_oldest_device_gives_way_beyond_the_cap(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    phones = [_fcm(f"p{i}") for i in range(4)]  # the test settings cap devices at 3
    for phone in phones:
        assert (await client.post("/api/v1/push/subscriptions", headers=member, json=_body(phone))).status_code == 201
    kept = {d["endpoint"] for d in (await client.get("/api/v1/push/subscriptions", headers=member)).json()}
    assert kept == {p.endpoint for p in phones[1:]}


async def test_bad_subscriptions_are_refused_with_the_field(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    good = _body(_fcm("x"))
    cases: list[tuple[dict[str, Any], str]] = [
        ({**good, "endpoint": "http://fcm.googleapis.com/fcm/send/x"}, "endpoint"),
        ({**good, "endpoint": "https://169.254.169.254/latest"}, "endpoint"),
        ({**good, "endpoint": "https://evil.example.com/push"}, "endpoint"),
        ({**good, "keys": {**good["keys"], "p256dh": "BAAA" + good["keys"]["p256dh"][4:]}}, "keys.p256dh"),
        ({**good, "keys": {**good["keys"], "auth": "c2hvcnQ"}}, "keys.auth"),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/push/subscriptions", headers=member, json=body)
        assert response.status_code == 400, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in [error["field"] for error in response.json()["errors"]], response.text
    for hostile in ({"endpoint": "https://fcm.googleapis.com/x"}, {**good, "endpoint": "h" * 5000}, [good]):
        response = await client.post("/api/v1/push/subscriptions", headers=member, json=hostile)
        assert response.status_code == 400, response.text
    assert (await client.get("/api/v1/push/subscriptions", headers=member)).json() == []


async def test_plain_http_only_for_an_allowed_local_push_service(database_url: str, redis_url: str) -> None:
    settings = make_settings(
        database_url, redis_url, push_allow_http=True, push_allowed_hosts=("127.0.0.1:8123", "fcm.googleapis.com")
    )
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as local:
        member = await bearer(local, "demo.member")
        key = await local.get("/api/v1/push/vapid-public-key")
        assert key.json() == {"enabled": False, "public_key": None}, "no key configured: the app offers no push"
        ok = _body(TestSubscriber.generate("http://127.0.0.1:8123/push/abc"))
        assert (await local.post("/api/v1/push/subscriptions", headers=member, json=ok)).status_code == 201
        other_port = _body(TestSubscriber.generate("http://127.0.0.1:9999/push/abc"))
        refused = await local.post("/api/v1/push/subscriptions", headers=member, json=other_port)
        assert refused.status_code == 400
