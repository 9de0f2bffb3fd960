"""The ASGI entry point for server workers: settings from the environment, read once per process."""

from __future__ import annotations

from litestar import Litestar

from api.app import create_app
from api.gc_tuning import tune_for_serving
from api.observability import configure_logging
from api.settings import Settings


def app_from_env() -> Litestar:
    settings = Settings.from_env()
    configure_logging(json_lines=settings.log_json, level=settings.log_level)
    tune_for_serving()
    return create_app(settings)
