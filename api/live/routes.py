"""GetLiveUpdates: Server-Sent Events telling open screens that something they show has changed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import ServerSentEvent

from api.auth.guards import ACCESS, current_principal, signed_in
from api.live.streams import events, open_slot


class LiveController(Controller):
    path = "/api/v1/live"
    tags = ["live"]
    opt = {ACCESS: signed_in}

    @get("", operation_id="GetLiveUpdates")
    async def live_updates(self, request: Request[Any, Any, Any]) -> ServerSentEvent:
        """An event stream: ``ready`` once, then ``update`` events ({kind, category, url}) for what concerns
        the caller, a heartbeat comment every 15 s, and ``signed-out`` before it ends at sign-out.
        At most 3 streams per account (429)."""
        principal = current_principal(request)
        state = request.app.state
        stream_id = await open_slot(state.redis, principal)
        digest: bytes = request.scope["auth"]["token_digest"]
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return ServerSentEvent(
            events(state.redis, state.sessions, state.invalidation, principal, digest, stream_id), headers=headers
        )
