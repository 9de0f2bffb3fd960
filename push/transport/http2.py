"""HTTP/2 for push services that offer it (FCM, Mozilla, Apple): many requests on one connection.

A thin asyncio protocol around the ``h2`` state machine: each request is a stream; the connection
honours the service's limit on concurrent streams and both flow-control windows, and a GOAWAY fails
only the streams the service says it never processed, so nothing already accepted is sent again
through this connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, cast

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

from push.transport.base import Answer, TransportError

_MAX_BODY = 1024 * 1024
"""The answer's body is never used; a service that sends a megabyte of it on one stream is cut off."""


class _Stream:
    """One request in flight: the answer's head once it arrives, and who waits for the end."""

    __slots__ = ("answer", "done", "received")

    def __init__(self, done: asyncio.Future[Answer]) -> None:
        self.done = done
        self.answer: Answer | None = None
        self.received = 0


class Http2Connection(asyncio.Protocol):
    """One HTTP/2 connection (negotiated by ALPN) to one push-service origin."""

    def __init__(self, authority: str) -> None:
        """Prepare; the event loop's ``create_connection`` calls :meth:`connection_made`.

        Args:
            authority: ``host`` or ``host:port`` for the ``:authority`` pseudo-header.
        """
        self._authority = authority.encode("ascii")
        # Without normalisation h2 would mark ``authorization`` as never-indexed, and HPACK would then
        # Huffman-code the same 400-character VAPID token (one per origin for hours) in pure Python for
        # every message: 0.2 ms each. Indexed, it costs two bytes after the first request. The token is
        # no password: the push service, the only other end of this connection, receives it anyway.
        # Our header names are already lower case and carry no connection-specific fields.
        config = h2.config.H2Configuration(client_side=True, header_encoding=None, normalize_outbound_headers=False)
        self._h2 = h2.connection.H2Connection(config=config)
        # New literals (the endpoint's path, TTL, length) go out without Huffman coding, which costs more
        # CPU per message in pure Python than the few bytes it saves next to a 4 KB body.
        self._h2.encoder.encode = functools.partial(self._h2.encoder.encode, huffman=False)  # type: ignore[method-assign]
        self._transport: asyncio.Transport | None = None
        self._streams: dict[int, _Stream] = {}
        self._window_opened = asyncio.Event()
        self._flush_scheduled = False
        self.closed = False

    @property
    def capacity(self) -> int:
        """How many more requests may start now (the service's concurrent-stream limit minus ours)."""
        if self.closed:
            return 0
        limit = self._h2.remote_settings.max_concurrent_streams
        return max(0, limit - len(self._streams))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast("asyncio.Transport", transport)
        self._h2.initiate_connection()
        self._flush()

    def data_received(self, data: bytes) -> None:
        try:
            events = self._h2.receive_data(data)
        except h2.exceptions.ProtocolError as error:
            self._fail_all(TransportError(f"HTTP/2 protocol error: {type(error).__name__}"))
            self._flush()
            self.close()
            return
        for event in events:
            self._handle(event)
        self._flush_soon()  # acknowledgements leave with the requests the answers make room for

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail_all(TransportError("connection closed before the answer was complete"))
        self._window_opened.set()

    def _handle(self, event: h2.events.Event) -> None:
        handler = self._HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event)

    def _on_response(self, event: h2.events.ResponseReceived) -> None:
        stream = self._streams.get(event.stream_id)
        if stream is None:
            return
        try:
            stream.answer = _answer(event.headers or [])
        except TransportError as error:
            self._reset(event.stream_id)
            self._fail(event.stream_id, error)

    def _on_data(self, event: h2.events.DataReceived) -> None:
        # Give the window back at once: the body is dropped, not buffered.
        length = event.flow_controlled_length or 0
        self._h2.acknowledge_received_data(length, event.stream_id)
        stream = self._streams.get(event.stream_id)
        if stream is not None:
            stream.received += length
            if stream.received > _MAX_BODY:
                self._reset(event.stream_id)
                self._fail(event.stream_id, TransportError("response body too large"))

    def _on_end(self, event: h2.events.StreamEnded) -> None:
        stream = self._streams.pop(event.stream_id, None)
        if stream is not None and not stream.done.done():
            if stream.answer is None:
                stream.done.set_exception(TransportError("stream ended without an answer"))
            else:
                stream.done.set_result(stream.answer)
        if self.closed and not self._streams:
            self.close()  # the last answer after a GOAWAY

    def _on_reset(self, event: h2.events.StreamReset) -> None:
        self._fail(event.stream_id, TransportError("stream reset by the push service"))

    def _on_window(self, _event: h2.events.Event) -> None:
        self._window_opened.set()

    def _on_goaway(self, event: h2.events.ConnectionTerminated) -> None:
        # Streams above ``last_stream_id`` were never processed; the rest still get their answers.
        self.closed = True
        last = event.last_stream_id
        for stream_id in [s for s in self._streams if last is None or s > last]:
            self._fail(stream_id, TransportError("push service closed the connection"))
        if not self._streams:
            self.close()

    _HANDLERS: ClassVar[dict[type[h2.events.Event], Callable[[Http2Connection, Any], None]]] = {
        h2.events.ResponseReceived: _on_response,
        h2.events.DataReceived: _on_data,
        h2.events.StreamEnded: _on_end,
        h2.events.StreamReset: _on_reset,
        h2.events.WindowUpdated: _on_window,
        h2.events.RemoteSettingsChanged: _on_window,
        h2.events.ConnectionTerminated: _on_goaway,
    }
    """What each event from the service does; other events (pings, settings acks) need nothing of us."""

    async def request(self, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """POST ``body`` to ``target`` (path and query) on a new stream and wait for the answer.

        Raises:
            TransportError: The stream or the connection broke, or no capacity was left.
        """
        if self.capacity <= 0:
            raise TransportError("connection has no free stream")
        stream_id = self._h2.get_next_available_stream_id()
        request_headers = [
            (b":method", b"POST"),
            (b":scheme", b"https"),
            (b":authority", self._authority),
            (b":path", target.encode("ascii")),
            *((name.lower().encode("ascii"), value.encode("latin-1")) for name, value in headers.items()),
            (b"content-length", str(len(body)).encode("ascii")),
        ]
        stream = _Stream(asyncio.get_running_loop().create_future())
        self._streams[stream_id] = stream
        try:
            self._h2.send_headers(stream_id, request_headers, end_stream=not body)
            await self._send_body(stream_id, body)
            self._flush_soon()
            return await stream.done
        except h2.exceptions.ProtocolError as error:
            self._streams.pop(stream_id, None)
            raise TransportError(f"HTTP/2 protocol error: {type(error).__name__}") from None
        except asyncio.CancelledError:
            # A timeout: tell the service we no longer want this stream, and keep the connection.
            if self._streams.pop(stream_id, None) is not None:
                self._reset(stream_id)
                self._flush()
            raise

    async def _send_body(self, stream_id: int, body: bytes) -> None:
        """Send the body as the flow-control windows allow, then end the stream."""
        view = memoryview(body)
        while view:
            if self.closed:
                raise TransportError("connection closed while sending")
            window = min(self._h2.local_flow_control_window(stream_id), self._h2.max_outbound_frame_size)
            if window <= 0:
                self._flush()
                self._window_opened.clear()
                await self._window_opened.wait()
                continue
            last = len(view) <= window
            self._h2.send_data(stream_id, bytes(view[:window]), end_stream=last)
            view = view[window:]

    def _reset(self, stream_id: int) -> None:
        with contextlib.suppress(h2.exceptions.ProtocolError):  # the stream may have closed on its own
            self._h2.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)

    def _fail(self, stream_id: int, error: TransportError) -> None:
        stream = self._streams.pop(stream_id, None)
        if stream is not None and not stream.done.done():
            stream.done.set_exception(error)

    def _fail_all(self, error: TransportError) -> None:
        for stream_id in list(self._streams):
            self._fail(stream_id, error)

    def _flush_soon(self) -> None:
        """Write at the end of this turn of the event loop: the requests that chunk jobs start together
        then leave in one TLS record and one system call instead of one each (measured: a third of the
        sending CPU went to per-request ``send`` calls)."""
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        data = self._h2.data_to_send()
        if data and self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        """Close now; requests in flight fail with :class:`TransportError`."""
        self.closed = True
        if self._transport is not None:
            self._transport.close()


def _answer(headers: list[tuple[bytes, bytes]]) -> Answer:
    fields = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers}
    status = fields.pop(":status", "")
    if len(status) != 3 or not status.isdigit():
        raise TransportError("answer without a valid :status")
    return Answer(int(status), fields)
