"""create_app(settings) -> Litestar: resources, middleware, routes and error mapping in one place."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.prometheus import PrometheusController

from api.audit.routes import AuditController
from api.auth.middleware import SessionMiddleware
from api.auth.passwords import Passwords
from api.auth.routes import AuthController
from api.auth.service import LoginThrottles
from api.auth.sessions import SessionStore
from api.auth.throttle import Throttle
from api.context import provide_context
from api.db import create_pool
from api.errors import Forbidden, NotFound, docs_not_found_as_problem, exception_handlers
from api.feedback.routes import FeedbackController
from api.handbook.reading import SectionReader
from api.handbook.routes import ContentController
from api.health import live, ready
from api.idempotency import IdempotencyMiddleware, Replay, remember_answer, replay_response
from api.invalidation import InvalidationListener
from api.live import LiveController
from api.meetings.routes import UPCOMING_MEETINGS, MeetingsController
from api.meetings.upcoming import UpcomingMeetings
from api.members.routes import MembersController
from api.moderation.routes import ModerationController
from api.notices.feed import FeedCache
from api.notices.routes import FEED_CACHE, NoticesController
from api.notifications.inbox_heads import InboxHeads
from api.notifications.routes import (
    INBOX_HEADS,
    NotificationEventsController,
    NotificationsController,
    PushController,
)
from api.observability import RequestRecordMiddleware, security_headers
from api.openapi import describe_problems
from api.org.routes import OrgController
from api.roles.routes import RolesController
from api.search.cache import SearchCache
from api.search.routes import SearchController
from api.settings import Settings
from api.spa import spa_handlers
from api.storage import LocalBlobStore
from api.study.routes import StudyController
from api.transaction import provide_connection

API_VERSION = "0.1.0"


def create_app(settings: Settings) -> Litestar:
    """Build the application; every resource it holds is opened and closed by its lifespan."""
    if settings.database_url is None or settings.redis_url is None:
        msg = "create_app needs database and Redis URLs (ehandbook dev starts embedded servers first)"
        raise ValueError(msg)

    @asynccontextmanager
    async def resources(app: Litestar) -> AsyncIterator[None]:
        assert settings.database_url is not None  # noqa: S101
        assert settings.redis_url is not None  # noqa: S101
        pool = await create_pool(
            settings.database_url.reveal(), min_size=settings.db_pool_min, max_size=settings.db_pool_max
        )
        redis = aioredis.Redis.from_url(settings.redis_url.reveal(), socket_timeout=5, socket_connect_timeout=5)
        listener = InvalidationListener(settings.database_url.reveal())
        app.state.db_pool = pool
        app.state.redis = redis
        app.state.invalidation = listener
        app.state.sessions = SessionStore(pool, listener, session_days=settings.session_days)
        app.state.section_reader = SectionReader(pool, listener)
        app.state.search_cache = SearchCache(listener, pool)
        app.state[FEED_CACHE] = FeedCache(listener)
        app.state[UPCOMING_MEETINGS] = UpcomingMeetings(listener)
        app.state[INBOX_HEADS] = InboxHeads(listener)
        app.state.passwords = Passwords(settings)
        app.state.blobs = LocalBlobStore(settings.data_dir / "blobs")
        window = settings.login_window_seconds
        app.state.login_throttles = LoginThrottles(
            by_account=Throttle(
                redis, namespace="login-account", limit=settings.login_account_limit, window_seconds=window
            ),
            by_address=Throttle(
                redis, namespace="login-address", limit=settings.login_address_limit, window_seconds=window
            ),
        )
        await listener.start()
        try:
            yield
        finally:
            await app.state.search_cache.close()
            await listener.stop()
            await redis.aclose()
            await pool.close()

    route_handlers: list[Any] = [
        live,
        ready,
        _metrics_controller(settings),
        AuthController,
        OrgController,
        MembersController,
        RolesController,
        AuditController,
        ContentController,
        SearchController,
        StudyController,
        LiveController,
        NoticesController,
        MeetingsController,
        FeedbackController,
        ModerationController,
        PushController,
        NotificationsController,
        NotificationEventsController,
    ]
    if (settings.pwa_dist / "index.html").is_file():
        route_handlers.extend(spa_handlers(settings.pwa_dist))

    app = Litestar(
        route_handlers=route_handlers,
        lifespan=[resources],
        dependencies={
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "conn": Provide(provide_connection),
            "ctx": Provide(provide_context),
        },
        state=State({"settings": settings}),
        middleware=[
            RequestRecordMiddleware(log_all=settings.access_log == "all"),
            SessionMiddleware(settings.secret_key.reveal()),
            IdempotencyMiddleware,
        ],
        exception_handlers={**exception_handlers, Replay: replay_response},
        after_request=_after_request,
        before_send=[security_headers(hsts=settings.secure_cookies)],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="ehandbook API",
            version=API_VERSION,
            path="/api",
            description="Sổ tay Đảng viên điện tử: the member handbook's HTTP API.",
            render_plugins=[SwaggerRenderPlugin(path="/docs")],
        ),
        debug=False,
        # Logging is ours (api/observability.py): Litestar's default config would replace our handlers.
        logging_config=None,
    )
    describe_problems(app)
    return app


async def _after_request(response: Any) -> Any:
    """Litestar takes one app-wide after-request hook: fix the docs router's 404, then store idempotent answers."""
    return await remember_answer(await docs_not_found_as_problem(response))


def _metrics_controller(settings: Settings) -> type[PrometheusController]:
    """Prometheus metrics: open in dev and tests; in production only with the metrics bearer token."""

    async def metrics_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if settings.mode != "production":
            return
        if settings.metrics_token is None:
            raise NotFound("Not found.")
        presented = connection.headers.get("authorization", "")
        if not hmac.compare_digest(presented, f"Bearer {settings.metrics_token.reveal()}"):
            raise Forbidden("Metrics need the metrics token.")

    class MetricsController(PrometheusController):
        path = "/metrics"
        guards = [metrics_guard]
        include_in_schema = False

    return MetricsController
