"""Forward-only plain-SQL migrations, applied in order under an advisory lock, each checksummed."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import asyncpg
import msgspec

from api.db import Connection

log = logging.getLogger("ehandbook.migrate")

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Any fixed number works; it only has to be the same for every worker of this application.
_LOCK_KEY = 0x6568_6231  # "ehb1"


class MigrationError(Exception):
    """The migrations on disk and in the database disagree; nothing was applied."""


class Migration(msgspec.Struct, frozen=True):
    version: str
    name: str
    checksum: str
    sql: str


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Read the migration files in version order, refusing gaps, duplicates and stray names."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_words.sql")
        data = path.read_bytes()
        migrations.append(
            Migration(
                version=match.group(1),
                name=path.name,
                checksum=hashlib.sha256(data).hexdigest(),
                sql=data.decode("utf-8"),
            )
        )
    for expected, migration in enumerate(migrations, start=1):
        if int(migration.version) != expected:
            raise MigrationError(f"{migration.name}: expected version {expected:04d} (no gaps or duplicates)")
    return migrations


async def migrate(conn: Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the pending migrations; return the names applied.

    The session-level advisory lock makes a second worker starting at the same moment wait, then
    find nothing left to do.
    """
    migrations = discover(directory)
    await conn.execute("select pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            """create table if not exists schema_migrations (
                   version text primary key, name text not null, checksum text not null,
                   applied_at timestamptz not null default now())"""
        )
        applied = {
            row["version"]: row for row in await conn.fetch("select version, name, checksum from schema_migrations")
        }
        _check_applied(migrations, applied)
        done = []
        for migration in migrations:
            if migration.version in applied:
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            log.info("applied migration %s", migration.name)
            done.append(migration.name)
        return done
    finally:
        await conn.execute("select pg_advisory_unlock($1)", _LOCK_KEY)


def _check_applied(migrations: list[Migration], applied: dict[str, asyncpg.Record]) -> None:
    on_disk = {m.version: m for m in migrations}
    for version, row in applied.items():
        migration = on_disk.get(version)
        name = row["name"]
        if migration is None:
            raise MigrationError(f"migration {name} is applied in the database but missing on disk")
        if migration.checksum != row["checksum"]:
            raise MigrationError(
                f"migration {name} was changed after it was applied (checksum differs); "
                "write a new migration instead of editing an applied one"
            )
