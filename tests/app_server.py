"""The real app under granian in a subprocess, on a free 127.0.0.1 port: for tests that need a real server
(a browser, or a response that streams and never ends, which the in-process test client cannot carry)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.servers import DEMO_PASSWORD, TEST_SECRET

ROOT = Path(__file__).resolve().parents[1]
READY_SECONDS = 60
STOP_SECONDS = 20


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class AppServer:
    """The real app (``api.asgi:app_from_env``) under granian, as ``ehandbook serve`` runs it, in test mode so
    its cookies work over plain http on 127.0.0.1."""

    def __init__(self, database_url: str, redis_url: str, dist: Path | None, tmp: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.redis_url = redis_url
        self.log_path = tmp / "server.log"
        env = {name: value for name, value in os.environ.items() if not name.startswith("EHB_")}
        env |= {
            "EHB_MODE": "test",
            "EHB_DATABASE_URL": database_url,
            "EHB_REDIS_URL": redis_url,
            "EHB_SECRET_KEY": TEST_SECRET,
            "EHB_DEMO_PASSWORD": DEMO_PASSWORD,
            "EHB_PWA_DIST": str(dist or tmp / "no-pwa"),
            "EHB_DATA_DIR": str(tmp / "data"),
            "EHB_LOG_JSON": "false",
            "EHB_LOG_LEVEL": "WARNING",
            "EHB_DB_POOL_MIN": "1",
            "EHB_DB_POOL_MAX": "5",
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            str(Path(sys.executable).parent / "granian"),
            *("--interface", "asgi", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1"),
            *("--log-level", "warning", "--no-access-log", "--factory", "api.asgi:app_from_env"),
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, dist: Path | None) -> None:
        deadline = time.monotonic() + READY_SECONDS
        with httpx.Client(base_url=self.base_url, timeout=5, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    pytest.fail(f"granian exited with {self.process.returncode}:\n{self.output()}", pytrace=False)
                with contextlib.suppress(httpx.TransportError):
                    if client.get("/health/ready").status_code == 200:
                        if dist is not None:
                            assert client.get("/").status_code == 200, "the app does not serve the PWA at /"
                        return
                time.sleep(0.2)
        pytest.fail(f"/health/ready did not answer 200 within {READY_SECONDS} s:\n{self.output()}", pytrace=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
