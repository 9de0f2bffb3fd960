"""Session tokens, CSRF tokens and activation codes: random values kept only as digests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: codes are printed on paper and typed by older members.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACTIVATION_CODE_LENGTH = 10


def new_session_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    # A plain hash suffices: the token has 256 bits of entropy, so there is nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).digest()


def csrf_token(secret_key: str, session_digest: bytes) -> str:
    """The CSRF token bound to one session: a keyed digest, so it needs no storage."""
    mac = hmac.new(secret_key.encode("utf-8"), b"csrf:" + session_digest, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def csrf_matches(secret_key: str, session_digest: bytes, presented: str) -> bool:
    return hmac.compare_digest(csrf_token(secret_key, session_digest), presented)


def new_activation_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))


def normalize_activation_code(code: str) -> str:
    """Members type codes with spaces, dashes and lower case; forgive all of that."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def activation_code_digest(secret_key: str, code: str) -> bytes:
    # Keyed, so a leaked table of digests cannot be brute-forced over the small code space offline.
    return hmac.new(
        secret_key.encode("utf-8"),
        b"activation:" + normalize_activation_code(code).encode("ascii", "ignore"),
        hashlib.sha256,
    ).digest()


def format_activation_code(code: str) -> str:
    """Print as XXXXX-XXXXX, easier to read aloud and copy."""
    return f"{code[:5]}-{code[5:]}"
