"""The built PWA is served at / with SPA fallback; the API's namespace stays the API's."""

from __future__ import annotations

import gzip
from pathlib import Path

from litestar.testing import AsyncTestClient

from api.app import create_app
from tests.servers import make_settings


async def test_pwa_files_fallback_and_caching(database_url: str, redis_url: str, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Sổ tay</title>", encoding="utf-8")
    (dist / "assets" / "app-1a2b3c.js").write_text("console.log(1)")
    (dist / "sw.js").write_text("self.addEventListener('install', () => {})")
    (tmp_path / "secret.txt").write_text("outside the dist folder")
    settings = make_settings(database_url, redis_url, pwa_dist=dist)
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        root = await client.get("/")
        assert root.status_code == 200
        assert "Sổ tay" in root.text
        deep = await client.get("/handbook/chapter/3")
        assert deep.status_code == 200
        assert deep.headers["cache-control"] == "no-cache"
        asset = await client.get("/assets/app-1a2b3c.js")
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert (await client.get("/sw.js")).headers["cache-control"] == "no-cache"
        assert (await client.get("/assets/missing.js")).status_code == 404
        api_miss = await client.get("/api/v1/nothing-here")
        assert api_miss.status_code == 404
        assert api_miss.headers["content-type"].startswith("application/problem+json")
        assert (await client.get("/..%2Fsecret.txt")).status_code == 404
        assert (await client.get("/health/live")).json() == {"status": "ok"}


async def test_compressed_copies_served_when_accepted(database_url: str, redis_url: str, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Sổ tay</title>", encoding="utf-8")
    script = "console.log('Sổ tay');" * 200
    (dist / "assets" / "app-1a2b3c.js").write_text(script, encoding="utf-8")
    (dist / "assets" / "app-1a2b3c.js.gz").write_bytes(gzip.compress(script.encode()))
    (dist / "assets" / "app-1a2b3c.js.br").write_bytes(b"brotli bytes as the build wrote them")
    settings = make_settings(database_url, redis_url, pwa_dist=dist)
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        gzipped = await client.get("/assets/app-1a2b3c.js", headers={"Accept-Encoding": "gzip, deflate"})
        assert gzipped.headers["content-encoding"] == "gzip"
        assert gzipped.headers["content-type"].startswith("text/javascript")
        assert gzipped.headers["vary"] == "Accept-Encoding"
        assert gzipped.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert gzipped.text == script  # the client undoes the coding, as a browser does
        brotli = await client.get("/assets/app-1a2b3c.js", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert brotli.headers["content-encoding"] == "br"
        for refused in ("identity", "gzip;q=0, br;q=0", ""):
            plain = await client.get("/assets/app-1a2b3c.js", headers={"Accept-Encoding": refused})
            assert "content-encoding" not in plain.headers
            assert plain.text == script
        # No compressed copy: the file as it is.
        root = await client.get("/", headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in root.headers
        assert "Sổ tay" in root.text
