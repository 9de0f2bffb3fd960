"""End to end: the README's first command, ``ehandbook dev``, run as a user runs it, twice on the same data."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.app_server import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EHANDBOOK = Path(sys.executable).parent / "ehandbook"
DEMO_PASSWORD = "dev-command-test-2026"
READY_SECONDS = 90
STOP_SECONDS = 30


class DevServer:
    """One ``ehandbook dev`` process in a session of its own, its output in a file."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        # A fresh shell: no EHB_* configuration at all, so dev mode starts its embedded servers.
        env = {name: value for name, value in os.environ.items() if not name.startswith("EHB_")}
        env |= {"EHB_DATA_DIR": str(data_dir), "EHB_DEMO_PASSWORD": DEMO_PASSWORD, "PYTHONUNBUFFERED": "1"}
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
                [str(EHANDBOOK), "dev", "--port", str(port), "--members", "200"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def fail(self, message: str) -> None:
        pytest.fail(f"{message}\n--- ehandbook dev output ({self.log_path}) ---\n{self.output()}", pytrace=False)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        with httpx.Client(base_url=self.base_url, timeout=5, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.fail(f"ehandbook dev exited with {self.process.returncode} before it was ready")
                with contextlib.suppress(httpx.TransportError):
                    if client.get("/health/ready").status_code == 200:
                        return
                time.sleep(0.25)
        self.fail(f"GET /health/ready did not answer 200 within {READY_SECONDS} s")

    def sign_in_and_read_me(self) -> dict[str, Any]:
        with httpx.Client(base_url=self.base_url, timeout=30, trust_env=False) as client:
            login = client.post(
                "/api/v1/auth/login",
                json={"login": "demo.member", "password": DEMO_PASSWORD, "client": "bearer"},
            )
            if login.status_code != 200:
                self.fail(f"sign-in answered {login.status_code}: {login.text}")
            me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.json()['token']}"})
            if me.status_code != 200:
                self.fail(f"GET /api/v1/me answered {me.status_code}: {me.text}")
            body: dict[str, Any] = me.json()
            return body

    def interrupt(self) -> int | None:
        """Ctrl+C in the terminal (SIGINT to the whole process group); the exit code, or None on a timeout."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """The finalizer: stop whatever is left of this run, gently first so PostgreSQL shuts down cleanly."""
        if self.process.poll() is None and self.interrupt() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # pgserver runs PostgreSQL in a session of its own, so a killed parent would leave it behind.
        pid = postmaster_pid(self.data_dir)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)  # "fast" shutdown


def postmaster_pid(data_dir: Path) -> int | None:
    """The pid of a running PostgreSQL whose data directory is under ``data_dir``, if any."""
    pid_file = data_dir / "postgres" / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int(pid_file.read_text().splitlines()[0])
        if str(data_dir) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return pid
    return None


def postgres_processes_under(directory: Path) -> list[str]:
    listing = subprocess.run(["ps", "-ww", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout  # noqa: S607
    return [line.strip() for line in listing.splitlines() if "postgres" in line and str(directory) in line]


@pytest.fixture
def start_dev(tmp_path: Path) -> Iterator[Callable[[str], DevServer]]:
    started: list[DevServer] = []

    def start(name: str) -> DevServer:
        server = DevServer(tmp_path / "data", tmp_path / f"{name}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


def stop_and_check(server: DevServer, tmp_path: Path) -> None:
    code = server.interrupt()
    if code is None:
        server.fail(f"ehandbook dev did not exit within {STOP_SECONDS} s of SIGINT")
    if code not in {0, 130}:
        server.fail(f"ehandbook dev exited with {code} after SIGINT")
    deadline = time.monotonic() + 10
    while (left := postgres_processes_under(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if left:
        server.fail("the embedded PostgreSQL is still running:\n" + "\n".join(left))


def test_dev_serves_the_demo_and_keeps_its_data(start_dev: Callable[[str], DevServer], tmp_path: Path) -> None:
    first = start_dev("first")
    first.wait_ready()
    assert postgres_processes_under(tmp_path), "the embedded PostgreSQL should show up in ps while dev runs"
    me = first.sign_in_and_read_me()
    assert me["username"] == "demo.member"
    assert me["member_id"] is not None
    stop_and_check(first, tmp_path)
    assert "Seeded the demo province" in first.output()

    second = start_dev("second")
    second.wait_ready()
    again = second.sign_in_and_read_me()
    assert (again["account_id"], again["member_id"]) == (me["account_id"], me["member_id"])
    stop_and_check(second, tmp_path)
    output = second.output()
    assert "Kept the demo province" in output, output
    assert "Seeded the demo province" not in output, output
