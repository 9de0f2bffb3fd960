"""HTTP/1.1 for push services that do not offer HTTP/2: one request at a time per keep-alive connection.

A push message is a small POST answered by an empty ``201``. A general-purpose client spends far
more time in its request and response objects than in the bytes (measured in bench/README.md), so
this connection writes the request in one piece and reads the answer with an incremental parser that
keeps only the status and headers and throws the body away.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import ClassVar, cast

from push.transport.base import Answer, TransportError

MAX_HEAD = 64 * 1024
"""A push service's status line and headers fit in a few hundred bytes; more is not a push service."""
MAX_BODY = 1024 * 1024
"""The answer's body is never used; a service that sends a megabyte of it is cut off."""


class ProtocolViolation(TransportError):
    """The other side did not speak HTTP/1.1 as RFC 9112 says."""


class ConnectionDropped(TransportError):
    """The connection closed before a single byte of the answer came.

    On a reused keep-alive connection this is the service having closed it while it was idle, so
    the request can go again on a fresh one."""


class ResponseReader:
    """Reads one response from the bytes as they arrive; :attr:`answer` is set once it is complete."""

    def __init__(self) -> None:
        """Start before the status line."""
        self.answer: Answer | None = None
        self.keep_alive = False
        self.started = False
        self._buffer = bytearray()
        self._head: Answer | None = None
        self._remaining = 0  # bytes of body still to come (Content-Length), or of the current chunk
        self._mode = "head"  # head, length, chunk-size, chunk-data, chunk-end, trailers, until-close
        self._body_seen = 0

    def feed(self, data: bytes) -> None:
        """Take the next bytes of the response.

        Raises:
            ProtocolViolation: Malformed or oversized.
        """
        self.started = True
        self._buffer += data
        while self.answer is None and self._step():
            pass

    def end_of_stream(self) -> None:
        """The connection closed: complete a body that runs until the close, or fail.

        Raises:
            TransportError: The response was cut short.
        """
        if self.answer is None and self._mode == "until-close" and self._head is not None:
            self._finish()
        if not self.started:
            raise ConnectionDropped("connection closed before the answer began")
        if self.answer is None:
            raise TransportError("connection closed before the answer was complete")

    def _step(self) -> bool:
        """Consume what the buffer allows of the current part; False when more bytes are needed."""
        return self._STEPS[self._mode](self)

    def _read_length(self) -> bool:
        taken = self._take_body(self._remaining)
        if self._remaining == 0:
            self._finish()
        return taken > 0 or self.answer is not None

    def _read_chunk_size(self) -> bool:
        line = self._line()
        if line is None:
            return False
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolViolation("malformed chunk size") from None
        self._remaining, self._mode = size, ("chunk-data" if size else "trailers")
        return True

    def _read_chunk_data(self) -> bool:
        taken = self._take_body(self._remaining)
        if self._remaining == 0:
            self._mode = "chunk-end"
        return taken > 0 or self._mode == "chunk-end"

    def _read_chunk_end(self) -> bool:
        line = self._line()
        if line is None:
            return False
        if line:
            raise ProtocolViolation("chunk not followed by CRLF")
        self._mode = "chunk-size"
        return True

    def _read_trailers(self) -> bool:
        line = self._line()
        if line is None:
            return False
        if not line:
            self._finish()
        return True

    def _read_until_close(self) -> bool:
        self._discard(len(self._buffer))
        return False

    def _take_body(self, wanted: int) -> int:
        taken = min(wanted, len(self._buffer))
        self._discard(taken)
        self._remaining -= taken
        return taken

    def _read_head(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end > MAX_HEAD or (end < 0 and len(self._buffer) > MAX_HEAD):
            raise ProtocolViolation("response head too large")
        if end < 0:
            return False
        head = bytes(self._buffer[:end])
        del self._buffer[: end + 4]
        lines = head.split(b"\r\n")
        version, _, rest = lines[0].partition(b" ")
        code = rest[:3]
        if not version.startswith(b"HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise ProtocolViolation("malformed status line")
        status = int(code)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip():
                raise ProtocolViolation("malformed header line")
            headers[name.decode("latin-1").lower()] = value.strip().decode("latin-1")
        if status < 200:  # 100 Continue and friends: the real answer follows
            return True
        self._head = Answer(status, headers)
        connection = headers.get("connection", "").lower()
        self.keep_alive = ("close" not in connection) if version == b"HTTP/1.1" else ("keep-alive" in connection)
        if status in (204, 304):
            self._finish()
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            self._mode = "chunk-size"
        elif "content-length" in headers:
            length = headers["content-length"]
            if not length.isdigit():
                raise ProtocolViolation("malformed Content-Length")
            self._remaining, self._mode = int(length), "length"
            if self._remaining == 0:
                self._finish()
        else:
            self.keep_alive, self._mode = False, "until-close"
        return True

    def _line(self) -> bytes | None:
        end = self._buffer.find(b"\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD:
                raise ProtocolViolation("line too long")
            return None
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 2]
        return line

    def _discard(self, count: int) -> None:
        self._body_seen += count
        if self._body_seen > MAX_BODY:
            raise ProtocolViolation("response body too large")
        del self._buffer[:count]

    def _finish(self) -> None:
        self.answer = self._head
        if self._buffer:  # bytes after a complete answer that nobody asked for
            self.keep_alive = False

    _STEPS: ClassVar[dict[str, Callable[[ResponseReader], bool]]] = {
        "head": _read_head,
        "length": _read_length,
        "chunk-size": _read_chunk_size,
        "chunk-data": _read_chunk_data,
        "chunk-end": _read_chunk_end,
        "trailers": _read_trailers,
        "until-close": _read_until_close,
    }
    """The reading step for each part of a response."""


class Http1Connection(asyncio.Protocol):
    """One keep-alive connection to one push-service origin, carrying one request at a time."""

    def __init__(self, authority: str) -> None:
        """Prepare; the event loop's ``create_connection`` calls :meth:`connection_made`.

        Args:
            authority: ``host`` or ``host:port`` as the ``Host`` header must name it.
        """
        self._host_line = b"Host: " + authority.encode("ascii") + b"\r\n"
        self._transport: asyncio.Transport | None = None
        self._reader: ResponseReader | None = None
        self._waiter: asyncio.Future[Answer] | None = None
        self.closed = False

    @property
    def idle(self) -> bool:
        """Open and between requests: it may carry the next one."""
        return not self.closed and self._waiter is None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast("asyncio.Transport", transport)

    def data_received(self, data: bytes) -> None:
        reader, waiter = self._reader, self._waiter
        if reader is None or waiter is None or waiter.done():
            self.close()  # bytes nobody asked for: the connection is out of step
            return
        try:
            reader.feed(data)
        except TransportError as error:
            waiter.set_exception(error)
            self.close()
            return
        if reader.answer is not None:
            waiter.set_result(reader.answer)
            if not reader.keep_alive:
                self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        reader, waiter = self._reader, self._waiter
        if reader is None or waiter is None or waiter.done():
            return
        try:
            reader.end_of_stream()
        except TransportError as error:
            waiter.set_exception(error)
        else:
            waiter.set_result(cast("Answer", reader.answer))

    async def request(self, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """POST ``body`` to ``target`` (path and query) and wait for the answer.

        Raises:
            TransportError: The connection broke, or the answer was malformed.
        """
        if not self.idle or self._transport is None:
            raise TransportError("connection not available")
        lines = [b"POST ", target.encode("ascii"), b" HTTP/1.1\r\n", self._host_line]
        for name, value in headers.items():
            lines += (name.encode("ascii"), b": ", value.encode("latin-1"), b"\r\n")
        lines += (b"Content-Length: ", str(len(body)).encode("ascii"), b"\r\n\r\n", body)
        self._reader = ResponseReader()
        self._waiter = asyncio.get_running_loop().create_future()
        self._transport.write(b"".join(lines))
        try:
            return await self._waiter
        except BaseException:
            self.close()  # broken, or cancelled by a timeout with the answer still to come: never reuse
            raise
        finally:
            self._reader = self._waiter = None

    def close(self) -> None:
        """Close now; a request in flight fails with :class:`TransportError`."""
        self.closed = True
        if self._transport is not None:
            self._transport.close()
