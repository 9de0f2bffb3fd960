"""Serve the built PWA from ``pwa/dist`` at ``/``, with SPA fallback to index.html."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import File

from api.errors import NotFound

# Hashed asset names never change content, so phones may keep them for a year; everything else
# (index.html, the service worker, the manifest) must be revalidated so updates reach people.
_IMMUTABLE_DIR = "assets"
_RESERVED_PREFIXES = ("api/", "health/", "metrics")


def spa_handlers(dist: Path) -> list[HTTPRouteHandler]:
    """The app shell at ``/`` and every other path not claimed by the API."""
    root = dist.resolve()

    def serve(relative: str) -> Response[bytes] | File:
        if relative.startswith(_RESERVED_PREFIXES):
            raise NotFound("No such API route.")
        candidate = (root / relative).resolve() if relative else root / "index.html"
        if not candidate.is_relative_to(root):
            raise NotFound("No such file.")
        if candidate.is_file():
            immutable = relative.startswith(_IMMUTABLE_DIR + "/")
            cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
            media_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
            return File(
                path=candidate,
                media_type=media_type,
                headers={"Cache-Control": cache},
                content_disposition_type="inline",
            )
        if "." in relative.rsplit("/", 1)[-1]:
            raise NotFound("No such file.")
        # A client-side route (e.g. /handbook/3): the app shell decides what to show.
        return Response(
            (root / "index.html").read_bytes(),
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    @get("/", include_in_schema=False, sync_to_thread=False)
    def shell() -> Response[bytes] | File:
        return serve("")

    @get("/{path:path}", include_in_schema=False, sync_to_thread=False)
    def anything(path: FromPath[str]) -> Response[bytes] | File:
        return serve(path.lstrip("/"))

    return [shell, anything]
