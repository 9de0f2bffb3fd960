"""Push requests handed straight to an ASGI app in the same process: the local push service in tests.

No sockets, so a test of the delivery loop runs in milliseconds; the wire itself (HTTP/1.1 and
HTTP/2 over TLS) is tested against the same service under a real server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from push.transport.base import Answer, TransportError


class AsgiPoster:
    """A :class:`push.transport.base.Poster` whose every URL is answered by one ASGI app."""

    def __init__(self, app: Any) -> None:
        """Wrap the app (e.g. :class:`push.mockservice.MockPushService`).

        Args:
            app: An ASGI application.
        """
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), follow_redirects=False)

    async def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Send ``POST url`` into the app.

        Raises:
            TransportError: The app failed to answer.
        """
        try:
            response = await self._client.post(url, headers=dict(headers), content=body)
        except httpx.TransportError as error:
            raise TransportError(type(error).__name__) from None
        return Answer(response.status_code, {name.lower(): value for name, value in response.headers.items()})

    async def aclose(self) -> None:
        """Release the client."""
        await self._client.aclose()
