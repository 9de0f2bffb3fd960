"""The wire to push services: the local push service under a real server (granian), over HTTPS with
HTTP/2 offered by ALPN and over plain HTTP/1.1, and hand-made servers for what granian never does
(chunked answers, idle connections closed under us, garbage)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import ssl
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.request import Request, urlopen

import h2.config
import h2.connection
import h2.events
import h2.settings
import msgspec
import pytest

from push.endpoints import Subscription
from push.http import PushClient
from push.payload import Notification, b64url_decode
from push.sender import OutcomeKind, PushRequest, build_request
from push.testcert import self_signed_certificate
from push.transport.base import Answer, TransportError
from push.transport.http1 import ResponseReader
from push.transport.pool import PooledPoster, client_tls
from push.vapid import VapidSigner, generate_vapid_keys
from tests.app_server import ROOT, free_port

SUBJECT = "mailto:ops@ehandbook.example.org"
VAPID = generate_vapid_keys()
GRANIAN = Path(sys.executable).parent / "granian"


class ServedPushService:
    """The local push service in a granian process; its HTTP API scripts and inspects subscriptions."""

    def __init__(self, origin: str, process: subprocess.Popen[bytes], cert: Path | None) -> None:
        self.origin, self.process = origin, process
        self.tls = client_tls(str(cert)) if cert else None

    def api(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = Request(self.origin + path, data=data, method=method)  # noqa: S310 - our own test origin
        with urlopen(request, timeout=10, context=self.tls) as answer:  # noqa: S310
            raw = answer.read()
        return json.loads(raw) if raw else None

    def subscribe(self, name: str, script: dict[str, object] | None = None) -> Subscription:
        created = self.api("POST", "/subscriptions", {"id": name, **({"script": script} if script else {})})
        assert isinstance(created, dict)
        keys = created["keys"]
        return Subscription(created["endpoint"], b64url_decode(keys["p256dh"]), b64url_decode(keys["auth"]))

    def received_ids(self, name: str) -> list[int]:
        messages = self.api("GET", f"/subscriptions/{name}/messages")
        assert isinstance(messages, list)
        # msgspec writes bytes as standard base64 in JSON.
        return [msgspec.json.decode(base64.b64decode(m["plaintext"]), type=Notification).id for m in messages]


@contextlib.contextmanager
def served(tmp: Path, *, https: bool) -> Iterator[ServedPushService]:
    port = free_port()
    origin = f"{'https' if https else 'http'}://127.0.0.1:{port}"
    tls_args: list[str] = []
    cert: Path | None = None
    if https:
        cert, key = self_signed_certificate(tmp, ["127.0.0.1"])
        tls_args = ["--ssl-certificate", str(cert), "--ssl-keyfile", str(key)]
    env = {**os.environ, "EHB_MOCKPUSH_ORIGIN": origin, "EHB_MOCKPUSH_OPEN": "1"}
    command = [
        str(GRANIAN),
        *("--interface", "asgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
        *("--http", "auto" if https else "1", *tls_args, "--log-level", "warning", "--no-access-log"),
        *("--factory", "push.mockservice:create_app_from_env"),
    ]
    log = (tmp / f"push-{port}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    service = ServedPushService(origin, process, cert)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                service.api("GET", "/stats")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / f"push-{port}.log").read_text()) from None
                time.sleep(0.1)
        yield service
    finally:
        process.terminate()
        process.wait(20)
        log.close()


@pytest.fixture(scope="module")
def h2_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPushService]:
    with served(tmp_path_factory.mktemp("h2"), https=True) as service:
        yield service


@pytest.fixture(scope="module")
def h1_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPushService]:
    with served(tmp_path_factory.mktemp("h1"), https=False) as service:
        yield service


def push_to(
    subscription: Subscription, notification_id: int, signer: VapidSigner, body: str = "Họp chi bộ tối thứ Sáu."
) -> PushRequest:
    notification = Notification(id=notification_id, title="Thông báo", body=body, url="/")
    return build_request(subscription, notification, signer, ttl=3600, urgency="normal")


async def post(poster: PooledPoster, request: PushRequest) -> Answer:
    return await poster.post(request.url, request.headers, request.body)


async def test_over_https_the_service_gets_http2_and_every_message_arrives_decrypted(
    h2_service: ServedPushService,
) -> None:
    subscriptions = [h2_service.subscribe(f"h2-phone-{n}") for n in range(30)]
    signer = VapidSigner(VAPID.private_key_b64, SUBJECT)
    poster = PooledPoster(tls=h2_service.tls)
    long_body = "Toàn văn nghị quyết đọc trong ứng dụng. " * 50  # 2.5 KB each
    try:
        requests = [push_to(s, 10 * n + i, signer, long_body) for n, s in enumerate(subscriptions) for i in range(10)]
        client = PushClient(poster, per_host=64, floor=64)  # 64 at a time per host, the most the worker sends
        outcomes = await asyncio.gather(*(client.send(r) for r in requests))
        state = poster.describe()[h2_service.origin]
    finally:
        await poster.aclose()
    assert {o.kind for o in outcomes} == {OutcomeKind.DELIVERED}
    assert state.protocol == "h2"
    assert state.connections == 1
    for n in range(30):
        assert sorted(h2_service.received_ids(f"h2-phone-{n}")) == [10 * n + i for i in range(10)]


async def test_a_slow_answer_times_out_and_the_http2_connection_carries_on(h2_service: ServedPushService) -> None:
    slow = h2_service.subscribe("h2-slow", {"delay": 3.0})
    quick = h2_service.subscribe("h2-quick")
    signer = VapidSigner(VAPID.private_key_b64, SUBJECT)
    poster = PooledPoster(tls=h2_service.tls, request_timeout=0.5)
    try:
        with pytest.raises(TransportError, match="no answer in time"):
            await post(poster, push_to(slow, 1, signer))
        answer = await post(poster, push_to(quick, 2, signer))
        state = next(iter(poster.describe().values()))
    finally:
        await poster.aclose()
    assert answer.status == 201
    assert state == ("h2", 1)
    assert h2_service.received_ids("h2-quick") == [2]


async def test_over_http1_connections_are_kept_alive_and_answers_keep_their_headers(
    h1_service: ServedPushService,
) -> None:
    fine = h1_service.subscribe("h1-fine")
    throttled = h1_service.subscribe("h1-throttled", {"status": 429, "retry_after": "7"})
    gone = h1_service.subscribe("h1-gone", {"status": 410})
    signer = VapidSigner(VAPID.private_key_b64, SUBJECT)
    poster = PooledPoster()
    try:
        answers = [await post(poster, push_to(fine, n, signer)) for n in range(20)]
        refused = await post(poster, push_to(throttled, 99, signer))
        expired = await post(poster, push_to(gone, 98, signer))
        at_once = await asyncio.gather(*(post(poster, push_to(fine, 100 + n, signer)) for n in range(8)))
        state = poster.describe()[h1_service.origin]
    finally:
        await poster.aclose()
    assert [a.status for a in answers + at_once] == [201] * 28
    assert (refused.status, refused.headers.get("retry-after")) == (429, "7")
    assert expired.status == 410
    assert state.protocol == "http/1.1"
    assert 1 <= state.connections <= 8  # one kept alive for the 22 in a row, a few more for the 8 at once
    assert sorted(h1_service.received_ids("h1-fine")) == [*range(20), *range(100, 108)]


# --- hand-made HTTP/1.1 servers --------------------------------------------------------------------------

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def raw_server(handler: Handler, *, tls: ssl.SSLContext | None = None) -> AsyncIterator[str]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/push/x"
    finally:
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    return head + await reader.readexactly(length)


async def test_a_chunked_answer_is_read_to_its_end_and_the_connection_reused() -> None:
    connections = 0

    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        with contextlib.suppress(asyncio.IncompleteReadError):
            while True:
                await read_request(reader)
                writer.write(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nLocation: /m/1\r\n\r\n")
                writer.write(b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n")
                await writer.drain()

    async with raw_server(chunked) as url:
        poster = PooledPoster()
        try:
            answers = [await poster.post(url, {"TTL": "60"}, b"x" * 100) for _ in range(3)]
        finally:
            await poster.aclose()
    assert [(a.status, a.headers["location"]) for a in answers] == [(201, "/m/1")] * 3
    assert connections == 1


async def test_a_kept_alive_connection_the_service_drops_is_replaced_and_the_push_sent_once() -> None:
    answered = dropped = 0

    async def one_answer_per_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal answered, dropped
        await read_request(reader)
        answered += 1
        # Keep-alive by default, so the client reuses the connection; the service hangs up on the next
        # request without a word, as one does that closed the idle connection while the request was on its way.
        writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        with contextlib.suppress(asyncio.IncompleteReadError):
            await read_request(reader)
            dropped += 1

    async with raw_server(one_answer_per_connection) as url:
        poster = PooledPoster()
        try:
            answers = [await poster.post(url, {"TTL": "60"}, body) for body in (b"one", b"two", b"three")]
        finally:
            await poster.aclose()
    assert [a.status for a in answers] == [201, 201, 201]
    assert (answered, dropped) == (3, 2)


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 2O1 Created\r\nContent-Length: 0\r\n\r\n",
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nContent-Length: -4\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nX-Pad: " + b"a" * 70_000 + b"\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nshort",
        b"",
    ],
    ids=["bad-status", "not-http", "bad-length", "huge-head", "cut-short", "silent-close"],
)
async def test_a_service_that_answers_garbage_or_hangs_up_gives_a_transport_error(reply: bytes) -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply)
        await writer.drain()

    async with raw_server(garbage) as url:
        poster = PooledPoster(request_timeout=5)
        try:
            with pytest.raises(TransportError):
                await poster.post(url, {"TTL": "60"}, b"body")
        finally:
            await poster.aclose()


async def test_nobody_listening_and_unsendable_urls_give_transport_errors() -> None:
    poster = PooledPoster()
    try:
        with pytest.raises(TransportError, match="connect failed"):
            await poster.post(f"http://127.0.0.1:{free_port()}/push/x", {}, b"body")
        for url in ["ftp://push.example/x", "https:///x", "https://push.example/a b", "https://push.example:99999/x"]:
            with pytest.raises(TransportError):
                await poster.post(url, {}, b"body")
    finally:
        await poster.aclose()


def test_the_response_reader_takes_an_answer_byte_by_byte() -> None:
    raw = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\n"
    )
    reader = ResponseReader()
    for index in range(len(raw)):
        assert reader.answer is None
        reader.feed(raw[index : index + 1])
    assert reader.answer == Answer(429, {"retry-after": "30", "transfer-encoding": "chunked"})
    assert reader.keep_alive


# --- a hand-made HTTP/2 server with a small flow-control window -------------------------------------------


async def test_bodies_larger_than_the_services_window_wait_for_it_and_arrive_whole(tmp_path: Path) -> None:
    window = 1_000  # bytes a stream may carry before the service gives more
    bodies: dict[int, bytearray] = {}

    async def stingy_service(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        h2conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding=None))
        h2conn.initiate_connection()
        h2conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
        writer.write(h2conn.data_to_send())
        while data := await reader.read(65536):
            for event in h2conn.receive_data(data):
                if isinstance(event, h2.events.DataReceived):
                    bodies.setdefault(event.stream_id, bytearray()).extend(event.data)
                    h2conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    h2conn.send_headers(event.stream_id, [(b":status", b"201")], end_stream=True)
            writer.write(h2conn.data_to_send())
            await writer.drain()

    cert, key = self_signed_certificate(tmp_path, ["127.0.0.1"])
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    server_tls.set_alpn_protocols(["h2"])
    async with raw_server(stingy_service, tls=server_tls) as url:
        poster = PooledPoster(tls=client_tls(str(cert)))
        try:
            sent = [bytes([n]) * (2_500 + n) for n in range(8)]
            answers = await asyncio.gather(*(poster.post(url.replace("http:", "https:"), {}, b) for b in sent))
            state = next(iter(poster.describe().values()))
        finally:
            await poster.aclose()
    assert [a.status for a in answers] == [201] * 8
    assert state.protocol == "h2"
    assert sorted(bytes(b) for b in bodies.values()) == sorted(sent)
