"""Web Push settings: a bad key, subject or host pattern stops start-up by name; plain http never in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings, SettingsError
from push.endpoints import DEFAULT_ALLOWED_HOSTS
from push.vapid import generate_vapid_keys

PRODUCTION = {
    "EHB_DATABASE_URL": "postgresql://app:pw@db/ehb",
    "EHB_REDIS_URL": "redis://cache:6379/0",
    "EHB_SECRET_KEY": "k" * 40,
}
KEYS = generate_vapid_keys()
PUSH = {"EHB_VAPID_PRIVATE_KEY": KEYS.private_key_b64, "EHB_VAPID_SUBJECT": "mailto:ops@ehandbook.vn"}


def test_push_is_off_without_a_key_and_on_with_one() -> None:
    assert not Settings.from_env({}).push_enabled
    settings = Settings.from_env({**PRODUCTION, **PUSH}, mode="production")
    assert settings.push_enabled
    assert settings.push_allowed_hosts == DEFAULT_ALLOWED_HOSTS
    assert settings.push_max_devices == 10
    assert KEYS.private_key_b64 not in repr(settings)


def test_the_key_may_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "vapid.pem"
    key_file.write_text(KEYS.private_key_pem)
    env = {"EHB_VAPID_PRIVATE_KEY_FILE": str(key_file), "EHB_VAPID_SUBJECT": "https://ehandbook.vn/contact"}
    settings = Settings.from_env(env)
    assert settings.vapid_private_key is not None
    assert settings.vapid_private_key.reveal() == KEYS.private_key_pem.strip()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EHB_VAPID_PRIVATE_KEY", "not-a-key"),
        ("EHB_VAPID_PRIVATE_KEY_FILE", "/nonexistent/vapid.pem"),
        ("EHB_VAPID_SUBJECT", "mailto:ops@localhost"),
        ("EHB_VAPID_SUBJECT", "https://push.example.local"),
        ("EHB_PUSH_ALLOWED_HOSTS", "fcm.googleapis.com,*.com"),
        ("EHB_PUSH_MAX_DEVICES", "0"),
        ("EHB_PUSH_ALLOW_HTTP", "maybe"),
    ],
)
def test_invalid_push_values_are_named(name: str, value: str) -> None:
    env = {**PUSH, name: value}
    if name == "EHB_VAPID_PRIVATE_KEY_FILE":
        del env["EHB_VAPID_PRIVATE_KEY"]
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env)


def test_key_and_subject_go_together() -> None:
    with pytest.raises(SettingsError, match="EHB_VAPID_SUBJECT"):
        Settings.from_env({"EHB_VAPID_PRIVATE_KEY": KEYS.private_key_b64})


def test_plain_http_endpoints_only_outside_production() -> None:
    local = {"EHB_PUSH_ALLOW_HTTP": "1", "EHB_PUSH_ALLOWED_HOSTS": "127.0.0.1:8123, fcm.googleapis.com"}
    settings = Settings.from_env(local)
    assert settings.push_allow_http
    assert settings.push_allowed_hosts == ("127.0.0.1:8123", "fcm.googleapis.com")
    with pytest.raises(SettingsError, match="EHB_PUSH_ALLOW_HTTP"):
        Settings.from_env({**PRODUCTION, **local}, mode="production")
