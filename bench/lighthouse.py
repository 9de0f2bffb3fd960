"""Lighthouse scores of the member app, on a phone profile, against Debian's Chromium.

    .venv/bin/python -m bench.lighthouse                  # sign-in, home, handbook, notices, inbox
    .venv/bin/python -m bench.lighthouse --pages / /handbook
    .venv/bin/python -m bench.lighthouse --runs 3           # each page three times; the median counts

Starts ``ehandbook dev`` on a free port with a fresh data folder (embedded PostgreSQL and Redis, the
demo province), signs in ``demo.member`` and runs the Lighthouse npm package (installed on first use
under ``.tools/lighthouse``, not a project dependency) once per page with Lighthouse's default mobile
emulation (a mid-range phone, slow 4G, 4x CPU slowdown). Signed-in pages get the session cookie
through ``--extra-headers``. Prints the three category scores per page against the targets of the
PWA issue (performance >= 90, accessibility >= 95, best practices >= 95), writes
``bench/results/lighthouse.json`` and exits 1 when a score misses its target or the member shell's
JavaScript (the entry and the chunks ``pwa/dist/index.html`` preloads) passes 60 KB gzipped. With
``--runs N`` every page is audited N times (in rounds, so a busy moment of a shared machine does not
fall on one page only) and the median score is the one held to the target; each run's load average
is kept with it.
The PWA must be built (``./ehb dev`` or ``cd pwa && npm run build``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.asgi_server import free_port

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
REPORTS = ROOT / "bench" / "results" / "lighthouse"
"""Lighthouse's whole report of each page, to see what a score is made of."""
LIGHTHOUSE_VERSION = "12.8.2"
"""The last release that runs on Node 20 (13 needs Node 22)."""
LIGHTHOUSE_DIR = ROOT / ".tools" / "lighthouse"
CHROMIUM = os.environ.get("EHB_E2E_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
TARGETS = {"performance": 90, "accessibility": 95, "best-practices": 95}
DEMO_PASSWORD = "bench-lighthouse-2026"  # noqa: S105 - the demo accounts of a throwaway data folder
PAGES = ("/", "/handbook", "/notices", "/notifications")
SHELL_TARGET_KB = 60
"""The member shell's JavaScript (the entry and what index.html preloads with it), gzipped."""
READY_SECONDS = 180
ATTEMPTS = 3
"""Lighthouse runs of one page before giving up on it."""


def lighthouse_binary() -> Path:
    """The Lighthouse command, installed from the npm registry the first time."""
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse {LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} ...", flush=True)
        subprocess.run(
            [
                shutil.which("npm") or "npm",
                *("install", "--prefix", str(LIGHTHOUSE_DIR), f"lighthouse@{LIGHTHOUSE_VERSION}"),
                *("--no-audit", "--no-fund", "--loglevel=error"),
            ],
            check=True,
        )
    return binary


def start_dev_server(port: int, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("EHB_")}
    env |= {"EHB_DATA_DIR": str(data_dir), "EHB_DEMO_PASSWORD": DEMO_PASSWORD, "EHB_LOG_LEVEL": "WARNING"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "ehandbook"), "dev", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"ehandbook dev exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"ehandbook dev was not ready within {READY_SECONDS} s:\n{log.read_text(errors='replace')}")


def session_cookie(base_url: str) -> str:
    """The Cookie header of a signed-in demo member, as the browser would send it."""
    answer = httpx.post(
        f"{base_url}/api/v1/auth/login",
        json={"login": "demo.member", "password": DEMO_PASSWORD, "client": "cookie"},
        timeout=30,
        trust_env=False,
    )
    answer.raise_for_status()
    return "; ".join(f"{name}={value}" for name, value in answer.cookies.items())


METRICS = {
    "first-contentful-paint": "FCP ms",
    "largest-contentful-paint": "LCP ms",
    "total-blocking-time": "TBT ms",
    "speed-index": "SI ms",
    "cumulative-layout-shift": "CLS",
}
"""What the performance score is made of, kept with each page's scores."""


def audit(
    binary: Path, url: str, cookie: str | None, out: Path, scratch: Path
) -> tuple[dict[str, int], dict[str, float]]:
    """Run Lighthouse on one page; returns each category's score out of 100 and the metrics behind it."""
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(TARGETS)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        headers = scratch / "extra-headers.json"  # a session token: kept out of bench/results
        headers.write_text(json.dumps({"Cookie": cookie}), encoding="utf-8")
        command.append(f"--extra-headers={headers}")
    for attempt in range(1, ATTEMPTS + 1):
        # On a busy machine Lighthouse now and then loses the trace (NO_NAVSTART) and says to run it again.
        done = subprocess.run(command, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM})
        if done.returncode == 0:
            break
        if attempt == ATTEMPTS:
            raise subprocess.CalledProcessError(done.returncode, command)
        print(f"  lighthouse failed on {url} (attempt {attempt}); running it again", flush=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(100 * (category["score"] or 0)) for name, category in report["categories"].items()}
    metrics = {label: round(report["audits"][audit_id]["numericValue"], 3) for audit_id, label in METRICS.items()}
    return scores, metrics


def shell_size(dist: Path) -> dict[str, float]:
    """KB gzipped (level 9, as the build's copies) of the JavaScript and CSS every first visit loads."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="module"[^>]*src="/([^"]+)"', html)
    scripts += re.findall(r'<link rel="modulepreload"[^>]*href="/([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet"[^>]*href="/([^"]+)"', html)

    def kb(paths: list[str]) -> float:
        return round(sum(len(gzip.compress((dist / path).read_bytes(), 9)) for path in paths) / 1000, 1)

    return {"js_kb_gzip": kb(scripts), "css_kb_gzip": kb(styles)}


def audit_pages(
    binary: Path, base_url: str, cookie: str, paths: list[str], rounds: int, scratch: Path
) -> list[dict[str, Any]]:
    """Audit the sign-in page and each signed-in path ``rounds`` times; each page's median score counts."""
    pages = [("sign-in (signed out)", "/", None)] + [(path, path, cookie) for path in paths]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in pages}
    for round_ in range(rounds):
        for index, (name, path, cookies) in enumerate(pages):
            suffix = f"-run{round_ + 1}" if rounds > 1 else ""
            load = os.getloadavg()[0]
            scores, metrics = audit(binary, base_url + path, cookies, REPORTS / f"page-{index}{suffix}.json", scratch)
            runs[name].append({"scores": scores, "metrics": metrics, "load_average": round(load, 2)})
            print(f"  {name:<24} " + "  ".join(f"{c} {scores[c]:>3}" for c in TARGETS) + f"  (load {load:.1f})")
            print(" " * 26 + "  ".join(f"{label} {value:g}" for label, value in metrics.items()), flush=True)
    results: list[dict[str, Any]] = []
    for name, path, _ in pages:
        scores = {c: int(statistics.median(r["scores"][c] for r in runs[name])) for c in TARGETS}
        passed = all(scores[category] >= target for category, target in TARGETS.items())
        results.append({"page": name, "path": path, "scores": scores, "runs": runs[name], "pass": passed})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", nargs="+", default=list(PAGES), help="app paths to audit while signed in")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--runs", type=int, default=1, help="audits of each page; the median score counts")
    args = parser.parse_args(argv)
    if not (ROOT / "pwa" / "dist" / "index.html").is_file():
        print("build the PWA first: cd pwa && npm run build", file=sys.stderr)
        return 2
    shell = shell_size(ROOT / "pwa" / "dist")
    shell_ok = shell["js_kb_gzip"] <= SHELL_TARGET_KB
    print(
        f"member shell: JavaScript {shell['js_kb_gzip']} KB gzipped (target <= {SHELL_TARGET_KB} KB), "
        f"CSS {shell['css_kb_gzip']} KB",
        flush=True,
    )
    binary = lighthouse_binary()
    REPORTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="ehb-lighthouse-") as tmp_name:
        tmp = Path(tmp_name)
        server = start_dev_server(port, tmp / "data", tmp / "server.log")
        try:
            wait_ready(base_url, server, tmp / "server.log")
            cookie = session_cookie(base_url)
            results = audit_pages(binary, base_url, cookie, args.pages, args.runs, tmp)
        finally:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=60)
    print_table(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"lighthouse": LIGHTHOUSE_VERSION, "targets": TARGETS, "shell": shell, "pages": results}, indent=2)
    )
    print(f"wrote {args.output.relative_to(ROOT)}")
    return 0 if shell_ok and all(r["pass"] for r in results) else 1


def print_table(results: list[dict[str, Any]]) -> None:
    header = f"{'page':<24} {'performance':>12} {'accessibility':>14} {'best practices':>15} {'result':>7}"
    targets = f"{'target':<24} {'>= 90':>12} {'>= 95':>14} {'>= 95':>15}"
    title = f"Lighthouse {LIGHTHOUSE_VERSION}, mobile emulation, Debian Chromium (median of each page's runs)"
    print(f"\n{title}\n{header}\n{targets}\n{'-' * len(header)}")
    for r in results:
        s = r["scores"]
        verdict = "PASS" if r["pass"] else "FAIL"
        print(f"{r['page']:<24} {s['performance']:>12} {s['accessibility']:>14} {s['best-practices']:>15} {verdict:>7}")
        if len(r["runs"]) > 1:
            each = ", ".join(str(run["scores"]["performance"]) for run in r["runs"])
            print(f"{'':<24} performance of each run: {each}")


if __name__ == "__main__":
    raise SystemExit(main())
