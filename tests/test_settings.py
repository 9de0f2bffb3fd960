"""Settings: read once from EHB_* variables; a bad or missing one stops start-up by name."""

from __future__ import annotations

import pytest

from api.settings import ARGON2_MIN_MEMORY_KIB, Settings, SettingsError

PRODUCTION = {
    "EHB_DATABASE_URL": "postgresql://app:pw@db/ehb",
    "EHB_REDIS_URL": "redis://cache:6379/0",
    "EHB_SECRET_KEY": "k" * 40,
}


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
def test_production_needs_servers_and_a_secret(missing: str) -> None:
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    with pytest.raises(SettingsError, match=missing):
        Settings.from_env(env, mode="production")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EHB_DB_POOL_MAX", "lots"),
        ("EHB_ARGON2_MEMORY_KIB", str(ARGON2_MIN_MEMORY_KIB - 1)),
        ("EHB_SECRET_KEY", "short"),
        ("EHB_MODE", "staging"),
        ("EHB_LOG_JSON", "perhaps"),
    ],
)
def test_invalid_values_are_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({**PRODUCTION, name: value})


def test_secrets_never_show_in_reprs() -> None:
    settings = Settings.from_env(PRODUCTION, mode="production")
    text = repr(settings)
    assert "pw@db" not in text
    assert "k" * 40 not in text
    assert settings.database_url is not None
    assert settings.database_url.reveal() == PRODUCTION["EHB_DATABASE_URL"]
    assert settings.secure_cookies


def test_development_defaults_start_without_configuration() -> None:
    settings = Settings.from_env({})
    assert settings.mode == "dev"
    assert settings.database_url is None
    assert not settings.secure_cookies
