"""What every way of POSTing a push message has in common: the answer, the failure, the interface."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection (TCP and TLS) to a push service."""
REQUEST_TIMEOUT = 10.0
"""A push service answers in milliseconds; ten seconds without an answer is an outage, retried later."""


class Answer(NamedTuple):
    """A push service's answer: the status and the headers we act on (names in lower case)."""

    status: int
    headers: Mapping[str, str]


class TransportError(Exception):
    """No answer: the connection failed, broke, or the service did not answer in time.

    The message is safe to log: it names the failure, never the URL's path (a device's endpoint)."""


class Poster(Protocol):
    """POSTs one push message; one instance is shared by every chunk job of a worker process."""

    async def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Send ``POST url`` and wait for the answer.

        Raises:
            TransportError: No answer came.
        """

    async def aclose(self) -> None:
        """Close every connection."""
