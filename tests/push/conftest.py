"""Fixtures of the push tests."""

from __future__ import annotations

import pytest

from api.settings import Secret, Settings
from tests.push.test_delivery import SUBJECT, VAPID
from tests.servers import make_settings


@pytest.fixture
def push_settings(database_url: str, redis_url: str) -> Settings:
    """Test settings with a VAPID key and subject: push is on."""
    return make_settings(
        database_url, redis_url, vapid_private_key=Secret(VAPID.private_key_b64), vapid_subject=SUBJECT
    )
