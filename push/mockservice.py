"""A local push service (the receiving side of RFC 8030) for tests, benchmarks and development.

It checks what a real service checks (VAPID per RFC 8292 with ``aud`` equal to its own origin, the
``TTL`` header, ``aes128gcm`` bodies), decrypts every message with the subscriber's private key and
keeps the plaintext for inspection. Per subscription it can be scripted to fail: gone, throttled,
broken, slow, or strict about size.

It is a raw ASGI app, because every microsecond of framework per message shows in a benchmark of
131,000 messages. Run several processes with one shared secret and ``open_subscriptions``: any
process can then derive any subscription's keys from its id (see :meth:`TestSubscriber.derive`).
With ``shared_keys``, an id ``<key>.<rest>`` takes the keys of ``<key>``, so that a benchmark can give
131,000 endpoints the keys of a few dozen subscribers instead of deriving 131,000 key pairs; and
``count`` keeps, instead of plaintexts, how often each (subscription, notification id) was received::

    EHB_MOCKPUSH_ORIGIN=http://127.0.0.1:8123 EHB_MOCKPUSH_SECRET=<hex> EHB_MOCKPUSH_OPEN=1 \\
        granian --interface asgi --factory --port 8123 --workers 2 push.mockservice:create_app_from_env

HTTP API besides ``POST /push/{id}``: ``POST /subscriptions`` (JSON body optional:
``{"id", "application_server_key", "script"}``) answers ``{"id", "endpoint", "keys"}``;
``PUT /subscriptions/{id}/script``; ``DELETE /subscriptions/{id}``;
``GET /subscriptions/{id}/messages``; ``GET /stats``; ``GET /deliveries`` (the counts, with the
epoch seconds of the first and last accepted message) and ``DELETE /deliveries`` (start counting anew).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

from push.payload import DecryptionError
from push.sender import URGENCIES, InvalidPushRequest, validate_topic
from push.testclient import TestSubscriber
from push.vapid import VapidRejected, VapidVerifier

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_MAX_BODY = 4096
"""RFC 8030 section 7.2: a push service may refuse anything larger with 413."""
_READ_LIMIT = 1 << 20
_JSON = [(b"content-type", b"application/json")]


class Script(msgspec.Struct, kw_only=True, omit_defaults=True):
    """How one subscription misbehaves."""

    status: int | None = None
    """Answer this (410, 429, 500, ...) instead of 201, after the request passed its checks."""
    retry_after: str | None = None
    """Sent as ``Retry-After`` with the scripted status."""
    delay: float = 0.0
    """Seconds to wait before answering (timeouts, slow services)."""
    max_body: int | None = None
    """Answer 413 above this many body bytes (the service default otherwise)."""
    times: int | None = None
    """The scripted status applies to this many pushes, then the service recovers; None: always."""


class ReceivedMessage(msgspec.Struct, frozen=True):
    """One accepted push message; ``plaintext`` is base64 in the JSON API."""

    plaintext: bytes
    ttl: int
    urgency: str
    topic: str | None
    subject: str
    """The VAPID ``sub`` of the sender."""


class _Subscription:
    __slots__ = ("application_server_key", "gone", "messages", "script", "subscriber")

    def __init__(self, subscriber: TestSubscriber, application_server_key: str | None, script: Script) -> None:
        self.subscriber = subscriber
        self.application_server_key = application_server_key
        self.script = script
        self.messages: list[ReceivedMessage] = []
        self.gone = False


class _NotificationId(msgspec.Struct):
    id: int


_id_decoder = msgspec.json.Decoder(_NotificationId)


class Deliveries(msgspec.Struct, kw_only=True):
    """What ``GET /deliveries`` answers when the service counts."""

    first_at: float | None
    """Epoch seconds of the first message accepted since counting (re)started."""
    last_at: float | None
    counts: list[tuple[str, int, int]]
    """(subscription id, notification id, times received); payloads that are no notification count as id -1."""


class _CreateRequest(msgspec.Struct, kw_only=True):
    id: str | None = None
    application_server_key: str | None = None
    script: Script | None = None


class _Rejected(Exception):
    def __init__(self, status: int, reason: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or []


class MockPushService:
    """The ASGI app; also a Python API for tests in the same process."""

    def __init__(
        self,
        origin: str,
        *,
        secret: bytes | None = None,
        open_subscriptions: bool = False,
        record: bool = True,
        shared_keys: bool = False,
        count: bool = False,
        max_body: int = DEFAULT_MAX_BODY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Set up an empty service.

        Args:
            origin: Where it is reachable, e.g. ``http://127.0.0.1:8123``; ``aud`` must equal it.
            secret: Derives subscriber keys from ids; processes sharing it share subscriptions.
            open_subscriptions: Accept pushes to ids never created here (keys derived from the id).
            record: Keep every plaintext; a long benchmark may only want the counters.
            shared_keys: A subscription id ``<key>.<rest>`` gets the keys derived from ``<key>``.
            count: Count receptions per (subscription, notification id), for ``GET /deliveries``.
            max_body: Larger bodies are refused with 413.
            clock: Seconds since the epoch, for checking ``exp``.
        """
        self.origin = origin.rstrip("/")
        self.secret = secret if secret is not None else os.urandom(32)
        self.open_subscriptions = open_subscriptions
        self.record = record
        self.shared_keys = shared_keys
        self.count = count
        self.max_body = max_body
        self.clock = clock
        self.verifier = VapidVerifier(self.origin, clock=clock)
        self.accepted = 0
        """Messages decrypted and answered 201."""
        self.statuses: Counter[int] = Counter()
        """Every answer to ``POST /push/...`` by status code."""
        self._subscriptions: dict[str, _Subscription] = {}
        self._keys: dict[str, TestSubscriber] = {}
        self._deliveries: Counter[tuple[str, int]] = Counter()
        self._first_at: float | None = None
        self._last_at: float | None = None

    def create_subscriber(
        self, name: str | None = None, *, application_server_key: str | None = None, script: Script | None = None
    ) -> TestSubscriber:
        """Create a subscription, as a browser's ``pushManager.subscribe()`` would.

        Args:
            name: The id in the endpoint URL; random when None.
            application_server_key: When given, only VAPID tokens with this ``k=`` are accepted (403).
            script: Scripted failures; none by default.

        Returns:
            The subscriber, holding endpoint, keys and the private key to decrypt with.
        """
        name = name or secrets.token_urlsafe(16)
        endpoint = f"{self.origin}/push/{name}"
        if self.shared_keys:
            key = name.split(".", 1)[0]
            keys = self._keys.get(key)
            if keys is None:
                keys = self._keys[key] = TestSubscriber.derive(endpoint, self.secret, key)
            subscriber = TestSubscriber(endpoint, keys.private_key, keys.auth, p256dh=keys.p256dh)
        else:
            subscriber = TestSubscriber.derive(endpoint, self.secret, name)
        self._subscriptions[name] = _Subscription(subscriber, application_server_key, script or Script())
        return subscriber

    def set_script(self, name: str, script: Script) -> None:
        """Replace a subscription's scripted behaviour.

        Args:
            name: The subscription id.
            script: The new behaviour; ``Script()`` restores normal service.
        """
        self._subscriptions[name].script = script

    def unsubscribe(self, name: str) -> None:
        """Expire a subscription: pushes to it are answered 410 Gone from now on.

        Args:
            name: The subscription id.
        """
        self._subscriptions[name].gone = True

    def deliveries(self) -> Deliveries:
        """How often each subscription received each notification (needs ``count``).

        Returns:
            The counts and the times of the first and last message.
        """
        counts = [(name, notification, times) for (name, notification), times in self._deliveries.items()]
        return Deliveries(first_at=self._first_at, last_at=self._last_at, counts=counts)

    def reset_deliveries(self) -> None:
        """Forget the counts and times (the next broadcast is counted alone)."""
        self._deliveries.clear()
        self._first_at = self._last_at = None

    def messages(self, name: str) -> list[ReceivedMessage]:
        """The messages a subscription received, oldest first.

        Args:
            name: The subscription id.

        Returns:
            The live list (tests may clear it).
        """
        return self._subscriptions[name].messages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI scope: lifespan events, push messages and the test API.

        Args:
            scope: The ASGI connection scope.
            receive: Awaits the next ASGI event.
            send: Sends an ASGI event.
        """
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method: str = scope["method"]
        parts = scope["path"].strip("/").split("/")
        if method == "POST" and len(parts) == 2 and parts[0] == "push":
            await self._push(parts[1], scope, receive, send)
        elif parts[0] == "subscriptions" or parts in (["stats"], ["deliveries"]):
            await self._api(method, parts, receive, send)
        else:
            await _respond(send, 404)

    async def _push(self, name: str, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            subscription, message = await self._accept(name, scope, receive)
        except _Rejected as rejected:
            self.statuses[rejected.status] += 1
            await _respond(send, rejected.status, rejected.reason.encode(), rejected.headers)
            return
        self.accepted += 1
        self.statuses[201] += 1
        if self.record:
            subscription.messages.append(message)
        if self.count:
            self._count(name, message.plaintext)
        await _respond(send, 201, b"", [(b"location", f"/message/{self.accepted}".encode())])

    def _count(self, name: str, plaintext: bytes) -> None:
        try:
            notification = _id_decoder.decode(plaintext).id
        except msgspec.DecodeError:
            notification = -1
        self._deliveries[name, notification] += 1
        self._last_at = self.clock()
        if self._first_at is None:
            self._first_at = self._last_at

    async def _accept(self, name: str, scope: Scope, receive: Receive) -> tuple[_Subscription, ReceivedMessage]:
        subscription = self._subscriptions.get(name)
        if subscription is None:
            if not self.open_subscriptions:
                raise _Rejected(404, "no such subscription")
            self.create_subscriber(name)
            subscription = self._subscriptions[name]
        headers = dict(scope["headers"])
        subject = self._check_headers(subscription, headers)
        script = subscription.script
        body = await _read_body(receive, script.max_body if script.max_body is not None else self.max_body)
        if script.delay:
            await asyncio.sleep(script.delay)
        if subscription.gone:
            raise _Rejected(410, "subscription has expired")
        if script.status is not None:
            raise _scripted_failure(script)
        try:
            plaintext = subscription.subscriber.decrypt(body)
        except DecryptionError as error:
            raise _Rejected(400, f"payload does not decrypt: {error}") from None
        topic = headers.get(b"topic")
        return subscription, ReceivedMessage(
            plaintext,
            int(headers[b"ttl"]),
            headers.get(b"urgency", b"normal").decode("latin-1"),
            topic.decode("latin-1") if topic is not None else None,
            subject,
        )

    def _check_headers(self, subscription: _Subscription, headers: dict[bytes, bytes]) -> str:
        authorization = headers.get(b"authorization")
        try:
            verified = self.verifier.verify(authorization.decode("latin-1") if authorization else None)
        except VapidRejected as error:
            extra = [(b"www-authenticate", b"vapid")] if error.status == 401 else []
            raise _Rejected(error.status, error.reason, extra) from None
        if subscription.application_server_key not in {None, verified.public_key}:
            raise _Rejected(403, "k= is not the key this subscription was created with")
        ttl = headers.get(b"ttl")
        if ttl is None or not ttl.isdigit():
            raise _Rejected(400, "TTL header with a whole number of seconds is required")
        if headers.get(b"content-encoding") != b"aes128gcm":
            raise _Rejected(415, "Content-Encoding must be aes128gcm")
        urgency = headers.get(b"urgency")
        if urgency is not None and urgency.decode("latin-1") not in URGENCIES:
            raise _Rejected(400, "Urgency must be very-low, low, normal or high")
        topic = headers.get(b"topic")
        if topic is not None:
            try:
                validate_topic(topic.decode("latin-1"))
            except InvalidPushRequest as error:
                raise _Rejected(400, str(error)) from None
        return verified.subject

    async def _api(self, method: str, parts: list[str], receive: Receive, send: Send) -> None:
        try:
            answer = self._api_answer(method, parts, await _read_body(receive, _READ_LIMIT))
        except _Rejected as rejected:
            await _respond(send, rejected.status, rejected.reason.encode())
            return
        except KeyError:
            await _respond(send, 404)
            return
        except msgspec.DecodeError as error:
            await _respond(send, 400, str(error).encode())
            return
        if answer is None:
            await _respond(send, 204)
        else:
            await _respond(send, 201 if method == "POST" else 200, msgspec.json.encode(answer), _JSON)

    def _api_answer(self, method: str, parts: list[str], body: bytes) -> object:
        if parts == ["stats"] and method == "GET":
            return {"accepted": self.accepted, "statuses": {str(k): v for k, v in self.statuses.items()}}
        if parts == ["deliveries"]:
            return self._deliveries_answer(method)
        if parts == ["subscriptions"] and method == "POST":
            request = msgspec.json.decode(body or b"{}", type=_CreateRequest)
            subscriber = self.create_subscriber(
                request.id, application_server_key=request.application_server_key, script=request.script
            )
            name = subscriber.endpoint.rsplit("/", 1)[1]
            keys = {"p256dh": subscriber.p256dh_b64, "auth": subscriber.auth_b64}
            return {"id": name, "endpoint": subscriber.endpoint, "keys": keys}
        if len(parts) == 3 and parts[2] == "script" and method == "PUT":
            self.set_script(parts[1], msgspec.json.decode(body, type=Script))
            return None
        if len(parts) == 3 and parts[2] == "messages" and method == "GET":
            return self.messages(parts[1])
        if len(parts) == 2 and method == "DELETE":
            self.unsubscribe(parts[1])
            return None
        raise KeyError(method)

    def _deliveries_answer(self, method: str) -> Deliveries | None:
        if method == "GET":
            return self.deliveries()
        if method == "DELETE":
            self.reset_deliveries()
            return None
        raise KeyError(method)


def _scripted_failure(script: Script) -> _Rejected:
    status = script.status
    assert status is not None  # noqa: S101 - the caller checked
    if script.times is not None:
        script.times -= 1
        if script.times <= 0:
            script.status, script.times = None, None
    extra = [(b"retry-after", script.retry_after.encode())] if script.retry_after is not None else []
    return _Rejected(status, "scripted failure", extra)


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _Rejected(413, f"body is larger than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond(
    send: Send, status: int, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    head = [(b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app_from_env() -> MockPushService:
    """Build the service from ``EHB_MOCKPUSH_*`` variables (for ``granian --factory``).

    ``EHB_MOCKPUSH_ORIGIN`` (required), ``EHB_MOCKPUSH_SECRET`` (hex, shared by all processes),
    ``EHB_MOCKPUSH_OPEN``, ``EHB_MOCKPUSH_RECORD``, ``EHB_MOCKPUSH_SHARED_KEYS`` and ``EHB_MOCKPUSH_COUNT``
    (``1``/``0``).

    Returns:
        The ASGI app.

    Raises:
        RuntimeError: ``EHB_MOCKPUSH_ORIGIN`` is missing.
    """
    origin = os.environ.get("EHB_MOCKPUSH_ORIGIN", "").strip()
    if not origin:
        raise RuntimeError("EHB_MOCKPUSH_ORIGIN is required, e.g. http://127.0.0.1:8123")
    secret = os.environ.get("EHB_MOCKPUSH_SECRET", "").strip()
    return MockPushService(
        origin,
        secret=bytes.fromhex(secret) if secret else None,
        open_subscriptions=os.environ.get("EHB_MOCKPUSH_OPEN", "0") == "1",
        record=os.environ.get("EHB_MOCKPUSH_RECORD", "1") == "1",
        shared_keys=os.environ.get("EHB_MOCKPUSH_SHARED_KEYS", "0") == "1",
        count=os.environ.get("EHB_MOCKPUSH_COUNT", "0") == "1",
    )
