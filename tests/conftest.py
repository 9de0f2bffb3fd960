"""Shared fixtures: real PostgreSQL and Redis, a fresh seeded database per test, an app and clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from tests.servers import DatabaseFactory, make_settings, running_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with running_servers(tmp_path_factory.mktemp("servers")) as urls:
        yield urls


@pytest.fixture(scope="session")
def database_factory(servers: tuple[str, str]) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(servers[0])
    factory.build_template()
    yield factory
    factory.drop_all()


@pytest.fixture
async def database_url(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    dsn = await database_factory.clone()
    yield dsn
    await database_factory.drop(dsn)


@pytest.fixture
async def redis_url(servers: tuple[str, str]) -> str:
    url = servers[1]
    client = aioredis.Redis.from_url(url)
    await client.flushdb()
    await client.aclose()
    return url


@pytest.fixture
def settings(database_url: str, redis_url: str) -> Settings:
    return make_settings(database_url, redis_url)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as test_client:
        yield test_client


@pytest.fixture
async def other(settings: Settings) -> AsyncIterator[tuple[Litestar, AsyncTestClient[Litestar]]]:
    """A second app on the same database and Redis: another worker, with its own pool, listener and copies."""
    second = create_app(settings)
    async with AsyncTestClient(app=second, base_url="https://testserver.local") as test_client:
        yield second, test_client


@pytest.fixture
def tmp_data(tmp_path: Path) -> Path:
    return tmp_path


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Mark every test that touches the database, so CI can run just those against other servers."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
