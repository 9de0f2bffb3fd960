"""The PostgreSQL and Redis servers the tests run against: embedded by default, external when
EHB_TEST_DATABASE_URL / EHB_TEST_REDIS_URL are set. Each test gets a fresh database cloned from a
migrated, seeded template, and an empty Redis database."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from api.auth.passwords import Passwords
from api.db import connect
from api.migrate import migrate
from api.seed import seed_demo_accounts, seed_province
from api.settings import Secret, Settings

TEST_SECRET = "test-secret-key-0123456789abcdef-0123456789"
DEMO_PASSWORD = "demo-password-2026"
TINY_PROVINCE_MEMBERS = 300
TINY_PROVINCE_SEED = 7


def with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + database))


@contextmanager
def running_servers(tmp: Path) -> Iterator[tuple[str, str]]:
    """Yield (server DSN, Redis URL)."""
    with ExitStack() as stack:
        database = os.environ.get("EHB_TEST_DATABASE_URL")
        redis = os.environ.get("EHB_TEST_REDIS_URL")
        if not database:
            from api.embedded import embedded_postgres  # noqa: PLC0415

            database = stack.enter_context(embedded_postgres(tmp, database="ehb_tests"))
        if not redis:
            from api.embedded import embedded_redis  # noqa: PLC0415

            redis = stack.enter_context(embedded_redis(tmp))
        yield database, redis


def make_settings(database_url: str, redis_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "mode": "test",
        "database_url": Secret(database_url),
        "redis_url": Secret(redis_url),
        "secret_key": Secret(TEST_SECRET),
        "demo_password": Secret(DEMO_PASSWORD),
        "log_json": False,
        "pwa_dist": Path("/nonexistent"),
        "data_dir": Path(tempfile.gettempdir()) / "ehb-test-data",
        "db_pool_min": 1,
        "db_pool_max": 5,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


class DatabaseFactory:
    """Creates a migrated and seeded template once, then a clone of it per test."""

    def __init__(self, server_dsn: str) -> None:
        self.server_dsn = server_dsn
        self.run_id = uuid.uuid4().hex[:8]
        self.template = f"ehb_template_{self.run_id}"
        self.created: list[str] = []

    async def _admin(self) -> asyncpg.Connection:  # type: ignore[type-arg]
        return await asyncpg.connect(self.server_dsn)

    def build_template(self) -> None:
        async def build() -> None:
            admin = await self._admin()
            try:
                await admin.execute(f'create database "{self.template}"')
            finally:
                await admin.close()
            conn = await connect(with_database(self.server_dsn, self.template))
            try:
                await migrate(conn)
                async with conn.transaction():
                    await seed_province(conn, members=TINY_PROVINCE_MEMBERS, seed=TINY_PROVINCE_SEED)
                    settings = make_settings("unused", "unused")
                    await seed_demo_accounts(conn, Passwords(settings), DEMO_PASSWORD)
            finally:
                await conn.close()

        asyncio.run(build())

    async def clone(self) -> str:
        name = f"ehb_test_{self.run_id}_{len(self.created)}"
        admin = await self._admin()
        try:
            await admin.execute(f'create database "{name}" template "{self.template}"')
        finally:
            await admin.close()
        self.created.append(name)
        return with_database(self.server_dsn, name)

    async def drop(self, dsn: str) -> None:
        name = urlsplit(dsn).path.lstrip("/")
        admin = await self._admin()
        try:
            await admin.execute(f'drop database if exists "{name}" with (force)')
        finally:
            await admin.close()

    def drop_all(self) -> None:
        async def drop() -> None:
            admin = await self._admin()
            try:
                for name in [*self.created, self.template]:
                    await admin.execute(f'drop database if exists "{name}" with (force)')
            finally:
                await admin.close()

        asyncio.run(drop())
