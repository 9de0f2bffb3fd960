"""Benchmark the offline sync's bytes: a full download of a 300-section handbook, then the delta after
one section changes. Target (issue 3): the delta is at most 2% of the full download.

    .venv/bin/python -m bench.offline_sync [--sections 300]

Bytes, not seconds, so the figures hold on a noisy machine. It runs the real app in process on
embedded PostgreSQL and Redis (or EHB_TEST_DATABASE_URL / EHB_TEST_REDIS_URL) and prints both sizes,
gzip-compressed too (what a phone receives), and writes bench/results/offline_sync.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.db import connect
from api.handbook.seed import SEED_CONTENT, parse_seed_document
from tests.servers import DEMO_PASSWORD, DatabaseFactory, make_settings, running_servers

TARGET_RATIO = 0.02
RESULTS = Path(__file__).resolve().parent / "results" / "offline_sync.json"


def _section_texts(count: int) -> list[tuple[str, str]]:
    """Real handbook prose, cycled, so sizes are those of real sections."""
    pool = [
        (s.title, s.body_md)
        for p in sorted(SEED_CONTENT.glob("[0-9][0-9]-*.md"))
        for s in parse_seed_document(p).sections
    ]
    return [(f"{pool[i % len(pool)][0]} ({i + 1})", pool[i % len(pool)][1]) for i in range(count)]


async def _measure(database_url: str, redis_url: str, sections: int) -> dict[str, Any]:
    conn = await connect(database_url)
    try:
        await conn.execute("delete from documents")  # only the benchmark's handbook is on offer
    finally:
        await conn.close()
    app = create_app(make_settings(database_url, redis_url))
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:

        async def token(login: str) -> dict[str, str]:
            answer = await client.post(
                "/api/v1/auth/login", json={"login": login, "password": DEMO_PASSWORD, "client": "bearer"}
            )
            return {"Authorization": f"Bearer {answer.json()['token']}"}

        admin, member = await token("demo.admin"), await token("demo.member")
        document = (
            await client.post(
                "/api/v1/documents",
                headers=admin,
                json={"slug": "so-tay", "kind": "handbook_chapter", "title": "Sổ tay đảng viên"},
            )
        ).json()
        ids = []
        for title, body in _section_texts(sections):
            added = await client.post(
                f"/api/v1/documents/{document['id']}/sections", headers=admin, json={"title": title, "body_md": body}
            )
            ids.append(added.json()["id"])
        revision = (await client.get(f"/api/v1/documents/{document['id']}", headers=admin)).json()["revision"]
        await client.put(
            f"/api/v1/documents/{document['id']}", headers=admin, json={"revision": revision, "status": "published"}
        )

        full = await client.get("/api/v1/offline/changes", params={"since": "0"}, headers=member)
        cursor = full.json()["cursor"]
        middle = ids[len(ids) // 2]
        source = (await client.get(f"/api/v1/sections/{middle}/source", headers=admin)).json()
        await client.put(
            f"/api/v1/sections/{middle}",
            headers=admin,
            json={
                "revision": source["revision"],
                "title": source["title"],
                "body_md": source["body_md"] + "\n\nĐã sửa.",
            },
        )
        delta = await client.get("/api/v1/offline/changes", params={"since": cursor}, headers=member)
        assert [s["id"] for s in delta.json()["sections"]] == [middle], "the delta carries the one changed section"
    full_bytes, delta_bytes = len(full.content), len(delta.content)
    full_gz, delta_gz = len(gzip.compress(full.content)), len(gzip.compress(delta.content))
    return {
        "sections": sections,
        "full_bytes": full_bytes,
        "delta_bytes": delta_bytes,
        "ratio": delta_bytes / full_bytes,
        "full_gzip_bytes": full_gz,
        "delta_gzip_bytes": delta_gz,
        "gzip_ratio": delta_gz / full_gz,
        "target_ratio": TARGET_RATIO,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_servers(Path(tmp)) as (server, redis_url):
        factory = DatabaseFactory(server)
        factory.build_template()
        try:

            async def run() -> dict[str, Any]:
                database_url = await factory.clone()
                return await _measure(database_url, redis_url, args.sections)

            result = asyncio.run(run())
        finally:
            factory.drop_all()
    verdict = "PASS" if result["ratio"] <= TARGET_RATIO else "FAIL"
    print(f"offline sync, {result['sections']}-section handbook, one section changed")
    print(f"  full download : {result['full_bytes']:>9,} bytes  ({result['full_gzip_bytes']:,} gzipped)")
    print(f"  delta         : {result['delta_bytes']:>9,} bytes  ({result['delta_gzip_bytes']:,} gzipped)")
    print(
        f"  delta / full  : {result['ratio']:.2%}  (gzipped {result['gzip_ratio']:.2%}); "
        f"target <= {TARGET_RATIO:.0%}: {verdict}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
