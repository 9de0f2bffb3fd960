"""Migrations: applied in order, once, under a lock, and refused when an applied file changed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from api.db import connect
from api.migrate import MIGRATIONS_DIR, MigrationError, discover, migrate
from tests.servers import DatabaseFactory, with_database


@pytest.fixture
async def empty_database(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    name = f"ehb_empty_{database_factory.run_id}"
    admin = await connect(database_factory.server_dsn)
    try:
        await admin.execute(f'create database "{name}"')
    finally:
        await admin.close()
    yield with_database(database_factory.server_dsn, name)
    admin = await connect(database_factory.server_dsn)
    try:
        await admin.execute(f'drop database "{name}" with (force)')
    finally:
        await admin.close()


async def test_two_workers_starting_together_migrate_once(empty_database: str) -> None:
    first, second = await connect(empty_database), await connect(empty_database)
    try:
        applied = await asyncio.gather(migrate(first), migrate(second))
        assert sorted(len(names) for names in applied) == [0, len(discover())]
        tables = {
            row["tablename"] for row in await first.fetch("select tablename from pg_tables where schemaname = 'public'")
        }
        assert tables >= {
            "org_units",
            "members",
            "accounts",
            "role_grants",
            "sessions",
            "audit_log",
            "activation_codes",
            "import_batches",
            "schema_migrations",
        }
        assert await migrate(first) == []
    finally:
        await first.close()
        await second.close()


async def test_an_applied_migration_that_changed_is_refused(database_url: str) -> None:
    conn = await connect(database_url)
    try:
        await conn.execute("update schema_migrations set checksum = 'edited' where version = '0001'")
        with pytest.raises(MigrationError, match=r"0001_init\.sql was changed after it was applied"):
            await migrate(conn)
    finally:
        await conn.close()


def test_migration_files_are_named_and_numbered_without_gaps(tmp_path: Path) -> None:
    assert [m.version for m in discover(MIGRATIONS_DIR)][:1] == ["0001"]
    (tmp_path / "0001_a.sql").write_text("select 1;")
    (tmp_path / "0003_c.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match="expected version 0002"):
        discover(tmp_path)
    (tmp_path / "0003_c.sql").unlink()
    (tmp_path / "2_bad name.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match=r"named NNNN_words\.sql"):
        discover(tmp_path)


async def test_audit_log_is_append_only(database_url: str) -> None:
    conn = await connect(database_url)
    try:
        await conn.execute("insert into audit_log (action) values ('test')")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("update audit_log set action = 'rewritten'")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("delete from audit_log")
    finally:
        await conn.close()


async def test_subtree_is_one_indexed_query(database_url: str) -> None:
    conn = await connect(database_url)
    try:
        await conn.execute("set enable_seqscan = off")
        plan = "\n".join(
            row[0] for row in await conn.fetch("explain select id from org_units where path @> array[1::bigint]")
        )
        assert "org_units_path_gin" in plan
        with pytest.raises(asyncpg.RaiseError, match="cannot be moved"):
            await conn.execute("update org_units set parent_id = null where kind = 'branch'")
    finally:
        await conn.close()
