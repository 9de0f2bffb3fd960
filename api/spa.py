"""Serve the built PWA from ``pwa/dist`` at ``/``, with SPA fallback to index.html."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import File

from api.errors import NotFound

# Hashed asset names never change content, so phones may keep them for a year; everything else
# (index.html, the service worker, the manifest) must be revalidated so updates reach people.
_IMMUTABLE_DIR = "assets"
_RESERVED_PREFIXES = ("api/", "health/", "metrics")
# The build writes a compressed copy beside each text file worth it (pwa/vite.config.ts), so the shell
# reaches a phone on a slow link at about a third of its size with no compression work per request.
# Brotli is offered only over HTTPS by browsers; gzip everywhere.
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
_COMPRESSED_SUFFIXES = frozenset({".js", ".css", ".html", ".webmanifest", ".svg", ".json"})


def _accepted(accept_encoding: str) -> set[str]:
    """The content codings an Accept-Encoding header allows (any not refused with ``q=0``)."""
    accepted = set()
    for item in accept_encoding.lower().split(","):
        name, *params = (part.strip() for part in item.split(";"))
        quality = next((param.removeprefix("q=") for param in params if param.startswith("q=")), "1")
        try:
            refused = float(quality) <= 0
        except ValueError:
            refused = True
        if name and not refused:
            accepted.add(name)
    return accepted


def _file(path: Path, accept_encoding: str, cache: str) -> File:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": cache}
    if path.suffix in _COMPRESSED_SUFFIXES:
        headers["Vary"] = "Accept-Encoding"
        accepted = _accepted(accept_encoding)
        for coding, suffix in _ENCODINGS:
            compressed = path.with_name(path.name + suffix)
            if coding in accepted and compressed.is_file():
                headers["Content-Encoding"] = coding
                return File(path=compressed, media_type=media_type, headers=headers, content_disposition_type="inline")
    return File(path=path, media_type=media_type, headers=headers, content_disposition_type="inline")


def spa_handlers(dist: Path) -> list[HTTPRouteHandler]:
    """The app shell at ``/`` and every other path not claimed by the API."""
    root = dist.resolve()

    def serve(relative: str, accept_encoding: str) -> Response[bytes] | File:
        if relative.startswith(_RESERVED_PREFIXES):
            raise NotFound("No such API route.")
        candidate = (root / relative).resolve() if relative else root / "index.html"
        if not candidate.is_relative_to(root):
            raise NotFound("No such file.")
        if candidate.is_file():
            immutable = relative.startswith(_IMMUTABLE_DIR + "/")
            return _file(candidate, accept_encoding, "public, max-age=31536000, immutable" if immutable else "no-cache")
        if "." in relative.rsplit("/", 1)[-1]:
            raise NotFound("No such file.")
        # A client-side route (e.g. /handbook/3): the app shell decides what to show.
        return Response(
            (root / "index.html").read_bytes(),
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    @get("/", include_in_schema=False, sync_to_thread=False)
    def shell(request: Request[Any, Any, Any]) -> Response[bytes] | File:
        return serve("", request.headers.get("accept-encoding", ""))

    @get("/{path:path}", include_in_schema=False, sync_to_thread=False)
    def anything(path: FromPath[str], request: Request[Any, Any, Any]) -> Response[bytes] | File:
        return serve(path.lstrip("/"), request.headers.get("accept-encoding", ""))

    return [shell, anything]
