"""Settings: one frozen Struct read from ``EHB_*`` variables once at start-up and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, cast

import msgspec

from push.endpoints import DEFAULT_ALLOWED_HOSTS, parse_host_pattern
from push.vapid import VapidError, load_private_key, validate_subject

Mode = Literal["dev", "test", "production"]

# OWASP's password storage cheat sheet: argon2id with at least 19 MiB, 2 iterations, 1 lane.
ARGON2_MIN_MEMORY_KIB = 19_456
ARGON2_MIN_TIME_COST = 2


DEFAULT_DEMO_PASSWORD = "sotay-demo-2026"  # noqa: S105 - the documented demo password, dev mode only


class SettingsError(Exception):
    """A variable is missing or invalid; the message names it."""


class Secret:
    """A string that never shows itself in a repr, a log line or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the app and its workers are configured with."""

    mode: Mode = "dev"
    database_url: Secret | None = None
    """None means: start the embedded PostgreSQL (dev only)."""
    redis_url: Secret | None = None
    """None means: start the embedded Redis (dev only)."""
    secret_key: Secret
    """Keys the CSRF tokens and activation-code digests; at least 32 characters."""
    data_dir: Path = Path(".data")
    pwa_dist: Path = Path("pwa/dist")
    db_pool_min: int = 2
    db_pool_max: int = 10
    argon2_time_cost: int = ARGON2_MIN_TIME_COST
    argon2_memory_kib: int = ARGON2_MIN_MEMORY_KIB
    argon2_parallelism: int = 1
    session_days: int = 60
    """Members on phones stay signed in for weeks; every sign-in can be revoked."""
    activation_code_days: int = 30
    login_account_limit: int = 5
    login_address_limit: int = 50
    login_window_seconds: int = 900
    client_ip_header: str | None = None
    """Behind a reverse proxy: the header it sets with the client address (rightmost value wins)."""
    metrics_token: Secret | None = None
    max_body_bytes: int = 1_048_576
    import_max_bytes: int = 64 * 1_048_576
    attachment_max_bytes: int = 20 * 1_048_576
    demo_password: Secret = Secret(DEFAULT_DEMO_PASSWORD)
    log_json: bool = True
    log_level: str = "INFO"
    access_log: str = "problems"
    """``all``: a line per request; ``problems``: failed and slow requests only (the proxy logs the rest)."""
    vapid_private_key: Secret | None = None
    """The Web Push (VAPID) private key, PEM or base64url; None means push is off (the inbox still fills)."""
    vapid_subject: str | None = None
    """The contact push services may use: an https: URL or mailto: address on a public domain."""
    push_allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    """host[:port] patterns of the push services we accept endpoints of and POST to."""
    push_allow_http: bool = False
    """Accept plain http: endpoints (a local push service); refused in production mode."""
    push_max_devices: int = 10
    """Subscriptions kept per account; a new device beyond this replaces the least recently seen one."""

    @property
    def push_enabled(self) -> bool:
        return self.vapid_private_key is not None and self.vapid_subject is not None

    @property
    def secure_cookies(self) -> bool:
        return self.mode == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, mode: Mode | None = None) -> Settings:
        """Read the settings from ``EHB_*`` variables; raise SettingsError naming a bad one."""
        return _read(os.environ if env is None else env, mode)


_DEV_SECRET = "dev-only-secret-key-not-for-production-use-000"  # noqa: S105 - refused in production


def _read(env: Mapping[str, str], mode_override: Mode | None) -> Settings:
    reader = _EnvReader(env)
    mode = mode_override or cast("Mode", reader.choice("EHB_MODE", ("dev", "test", "production"), "dev"))
    secret = reader.secret("EHB_SECRET_KEY")
    database_url = reader.secret("EHB_DATABASE_URL")
    redis_url = reader.secret("EHB_REDIS_URL")
    if mode == "production":
        for name, value in (
            ("EHB_DATABASE_URL", database_url),
            ("EHB_REDIS_URL", redis_url),
            ("EHB_SECRET_KEY", secret),
        ):
            if value is None:
                raise SettingsError(f"{name} is required in production mode")
    if secret is None:
        secret = Secret(_DEV_SECRET)
    if len(secret.reveal()) < 32:
        raise SettingsError("EHB_SECRET_KEY must be at least 32 characters")
    if mode == "production" and secret.reveal() == _DEV_SECRET:
        raise SettingsError("EHB_SECRET_KEY must not be the development key in production mode")
    settings = Settings(
        mode=mode,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret,
        data_dir=Path(env.get("EHB_DATA_DIR", ".data")),
        pwa_dist=Path(env.get("EHB_PWA_DIST", "pwa/dist")),
        db_pool_min=reader.integer("EHB_DB_POOL_MIN", 2, low=0),
        db_pool_max=reader.integer("EHB_DB_POOL_MAX", 10, low=1),
        argon2_time_cost=reader.integer("EHB_ARGON2_TIME_COST", ARGON2_MIN_TIME_COST, low=ARGON2_MIN_TIME_COST),
        argon2_memory_kib=reader.integer("EHB_ARGON2_MEMORY_KIB", ARGON2_MIN_MEMORY_KIB, low=ARGON2_MIN_MEMORY_KIB),
        argon2_parallelism=reader.integer("EHB_ARGON2_PARALLELISM", 1, low=1),
        session_days=reader.integer("EHB_SESSION_DAYS", 60, low=1),
        activation_code_days=reader.integer("EHB_ACTIVATION_CODE_DAYS", 30, low=1),
        login_account_limit=reader.integer("EHB_LOGIN_ACCOUNT_LIMIT", 5, low=1),
        login_address_limit=reader.integer("EHB_LOGIN_ADDRESS_LIMIT", 50, low=1),
        login_window_seconds=reader.integer("EHB_LOGIN_WINDOW_SECONDS", 900, low=1),
        client_ip_header=env.get("EHB_CLIENT_IP_HEADER") or None,
        metrics_token=reader.secret("EHB_METRICS_TOKEN"),
        max_body_bytes=reader.integer("EHB_MAX_BODY_BYTES", 1_048_576, low=1024),
        import_max_bytes=reader.integer("EHB_IMPORT_MAX_BYTES", 64 * 1_048_576, low=1024),
        attachment_max_bytes=reader.integer("EHB_ATTACHMENT_MAX_BYTES", 20 * 1_048_576, low=1024),
        demo_password=reader.secret("EHB_DEMO_PASSWORD") or Secret(DEFAULT_DEMO_PASSWORD),
        log_json=reader.boolean("EHB_LOG_JSON", default=mode == "production"),
        log_level=reader.choice("EHB_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
        access_log=reader.choice("EHB_ACCESS_LOG", ("all", "problems"), "problems"),
    )
    settings = msgspec.structs.replace(settings, **_push_settings(reader, mode))
    if settings.db_pool_min > settings.db_pool_max:
        raise SettingsError("EHB_DB_POOL_MIN must not exceed EHB_DB_POOL_MAX")
    return settings


def _push_settings(reader: _EnvReader, mode: Mode) -> dict[str, object]:
    """The Web Push settings, checked now so that a bad key or subject stops start-up, not the first push."""
    key = reader.secret("EHB_VAPID_PRIVATE_KEY") or reader.secret_file("EHB_VAPID_PRIVATE_KEY_FILE")
    subject = reader.env.get("EHB_VAPID_SUBJECT", "").strip() or None
    try:
        if key is not None:
            load_private_key(key.reveal())
    except VapidError as error:
        raise SettingsError(f"EHB_VAPID_PRIVATE_KEY: {error}") from None
    try:
        if subject is not None:
            subject = validate_subject(subject)
    except VapidError as error:
        raise SettingsError(f"EHB_VAPID_SUBJECT: {error}") from None
    if (key is None) != (subject is None):
        raise SettingsError("EHB_VAPID_PRIVATE_KEY and EHB_VAPID_SUBJECT must be set together")
    hosts = tuple(h.strip() for h in reader.env.get("EHB_PUSH_ALLOWED_HOSTS", "").split(",") if h.strip())
    for pattern in hosts:
        try:
            parse_host_pattern(pattern)
        except ValueError as error:
            raise SettingsError(f"EHB_PUSH_ALLOWED_HOSTS: {error}") from None
    allow_http = reader.boolean("EHB_PUSH_ALLOW_HTTP", default=False)
    if allow_http and mode == "production":
        raise SettingsError("EHB_PUSH_ALLOW_HTTP must not be set in production mode")
    return {
        "vapid_private_key": key,
        "vapid_subject": subject,
        "push_allowed_hosts": hosts or DEFAULT_ALLOWED_HOSTS,
        "push_allow_http": allow_http,
        "push_max_devices": reader.integer("EHB_PUSH_MAX_DEVICES", 10, low=1),
    }


class _EnvReader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def secret(self, name: str) -> Secret | None:
        value = self.env.get(name, "").strip()
        return Secret(value) if value else None

    def secret_file(self, name: str) -> Secret | None:
        path = self.env.get(name, "").strip()
        if not path:
            return None
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise SettingsError(f"{name}: cannot read {path} ({error})") from None
        if not value:
            raise SettingsError(f"{name}: {path} is empty")
        return Secret(value)

    def integer(self, name: str, default: int, *, low: int) -> int:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
        if value < low:
            raise SettingsError(f"{name} must be at least {low}")
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        raw = self.env.get(name, "").strip().lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{name} must be true or false, not {raw!r}")

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        raw = self.env.get(name, "").strip() or default
        if raw not in allowed:
            raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {raw!r}")
        return raw
