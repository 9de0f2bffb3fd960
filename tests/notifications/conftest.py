"""Push tests run with a VAPID key configured (the shared test settings leave push off)."""

from __future__ import annotations

import pytest

from api.settings import Secret, Settings
from push.vapid import generate_vapid_keys
from tests.servers import make_settings

VAPID = generate_vapid_keys()


@pytest.fixture
def settings(database_url: str, redis_url: str) -> Settings:
    return make_settings(
        database_url,
        redis_url,
        vapid_private_key=Secret(VAPID.private_key_b64),
        vapid_subject="mailto:ops@ehandbook.example.org",
        push_max_devices=3,
    )
