"""argon2id hashing off the event loop, with a bounded number of hashes in flight."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from api.settings import Settings

MIN_PASSWORD_LENGTH = 8
# argon2 hashes whatever it is given; a cap keeps a megabyte "password" from costing us anything.
MAX_PASSWORD_LENGTH = 128


class Passwords:
    """Hash and verify passwords in worker threads so sign-ins never stall other requests."""

    def __init__(self, settings: Settings, *, concurrency: int = 4) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            type=Type.ID,
        )
        # Each hash holds ~19+ MiB and a core; more in flight only queues inside the thread pool.
        self._slots = asyncio.Semaphore(concurrency)
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check a password; an account without a hash costs the same time, so timing tells nothing."""
        if stored_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = await self.hash("dummy password for constant-time misses")
            stored_hash = self._dummy_hash
            password = password + "\x00never-matches"
        async with self._slots:
            return await asyncio.to_thread(self._verify_sync, stored_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def _verify_sync(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def password_problem(password: str, *, card_number: str | None = None) -> str | None:
    """Why a new password is refused (Vietnamese, shown to the member), or None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Mật khẩu không được dài quá {MAX_PASSWORD_LENGTH} ký tự"
    if card_number and card_number in password:
        return "Mật khẩu không được chứa số thẻ đảng viên"
    if len(set(password)) < 4:
        return "Mật khẩu quá đơn giản"
    return None
