"""End-to-end fixtures: the real app under granian serving the built PWA, and Debian's Chromium driven by
Playwright. Without Chromium (or the playwright package) every e2e test is skipped, loudly and with the reason;
CI installs both, so there they always run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from tests.app_server import AppServer
from tests.servers import DEMO_PASSWORD

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter
    from playwright.async_api import BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "pwa" / "dist"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("EHB_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLAYWRIGHT_MISSING = "E2E SKIPPED: the Python package 'playwright' is not installed (dev group; ./ehb test installs it)"
PHONE_WIDTH, PHONE_HEIGHT = 390, 844  # CSS pixels of a common phone
# Long enough for a first sync of the whole handbook on a slow CI machine.
UI_TIMEOUT_MS = 20_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real Chromium against the real app serving the built PWA")


def e2e_unavailable(reason: str) -> NoReturn:
    """Skip, or fail where the e2e tests must run (CI sets EHB_E2E_REQUIRED=1)."""
    if os.environ.get("EHB_E2E_REQUIRED") == "1":
        pytest.fail(reason.replace("E2E SKIPPED", "E2E REQUIRED (EHB_E2E_REQUIRED=1) BUT CANNOT RUN"), pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """A skipped e2e run must not pass unnoticed: say so in red at the end, with the reason."""
    reasons = {
        str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for report in terminalreporter.stats.get("skipped", [])
        if "E2E SKIPPED" in str(report.longrepr)
    }
    for reason in sorted(reasons):
        terminalreporter.write_sep("!", "END-TO-END TESTS DID NOT RUN", red=True, bold=True)
        terminalreporter.write_line(reason, red=True, bold=True)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium and the playwright package, or a skip that says which one is missing."""
    try:
        import playwright.async_api  # noqa: F401, PLC0415
    except ImportError:
        e2e_unavailable(PLAYWRIGHT_MISSING)
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        e2e_unavailable(
            f"E2E SKIPPED: no Chromium at {CHROMIUM}; install Debian's: sudo apt-get install -y chromium "
            "(or point EHB_E2E_CHROMIUM at one)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def pwa_dist() -> Path:
    """The built PWA. ./ehb test builds it first; a plain pytest run builds it when it is missing or stale."""
    index = DIST / "index.html"
    sources = [ROOT / "pwa" / "src", ROOT / "pwa" / "index.html", ROOT / "pwa" / "vite.config.ts"]

    def stale() -> bool:
        if not index.is_file():
            return True
        built = index.stat().st_mtime
        return any(
            path.stat().st_mtime > built for source in sources for path in [source, *source.rglob("*")] if path.exists()
        )

    if stale():
        npm = shutil.which("npm")
        if npm is None or not (ROOT / "pwa" / "node_modules").is_dir():
            pytest.fail(
                "pwa/dist is missing or older than pwa/src, and npm or pwa/node_modules is missing: run ./ehb test"
            )
        subprocess.run([npm, "run", "--silent", "build"], cwd=ROOT / "pwa", check=True)  # noqa: S603
    return DIST


@pytest.fixture
def app_server(
    chromium_path: Path, pwa_dist: Path, database_url: str, redis_url: str, tmp_path: Path
) -> Iterator[AppServer]:
    server = AppServer(database_url, redis_url, pwa_dist, tmp_path)
    try:
        server.wait_ready(pwa_dist)
        yield server
    finally:
        server.stop()


@pytest.fixture
async def playwright(chromium_path: Path) -> AsyncIterator[Playwright]:
    from playwright.async_api import async_playwright  # noqa: PLC0415

    async with async_playwright() as driver:
        yield driver


@pytest.fixture
async def context(
    playwright: Playwright, chromium_path: Path, app_server: AppServer, tmp_path: Path
) -> AsyncIterator[BrowserContext]:
    """A phone-sized, Vietnamese-speaking browser with a profile of its own: persistent, as on a phone, because
    Chromium never offers to install an app from an incognito profile (a plain new_context is one)."""
    from playwright.async_api import expect  # noqa: PLC0415

    created = await playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=str(chromium_path),
        headless=True,
        args=CHROMIUM_ARGS,
        base_url=app_server.base_url,
        viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        service_workers="allow",
    )
    created.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else await context.new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- what a member does on the phone, in the app's own words (pwa/src/app/i18n/vi.ts) ---------------------


LOGIN_LABEL = "Số thẻ đảng viên, số điện thoại hoặc tên đăng nhập"
SYNCED = "Đã cập nhật"


async def sign_in(page: Page, login: str = "demo.member") -> None:
    from playwright.async_api import expect  # noqa: PLC0415

    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/sign-in$"))
    await page.get_by_label(LOGIN_LABEL).fill(login)
    await page.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Đăng nhập", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name=re.compile(r"^Xin chào, "))).to_be_visible()


async def open_handbook_synced(page: Page) -> None:
    """The contents screen, once the whole handbook is kept on the phone."""
    from playwright.async_api import expect  # noqa: PLC0415

    await page.goto("/handbook")
    await expect(page.get_by_role("heading", level=1, name="Sổ tay")).to_be_visible()
    await expect(page.locator(".sync-state")).to_have_text(SYNCED)


async def under_service_worker(page: Page) -> None:
    """Wait for the service worker to be active, and reload so it controls this page (it does not claim)."""
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not await page.evaluate("navigator.serviceWorker.controller !== null"):
        await page.reload()
    await page.wait_for_function("navigator.serviceWorker.controller !== null")


async def shot(page: Page, artifacts: Path, name: str) -> None:
    await page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
