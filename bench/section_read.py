"""Reading a section, signed in and warm, against a bare Litestar "hello world" on the same server.

Targets (from the issue), each as a share of the hello world's requests per second, served by granian
with the same number of workers, on the same machine, in the same run:

- ``GET /api/v1/sections/{id}`` answered 200 with the section: at least 35%;
- the same with ``If-None-Match: <its ETag>``, answered 304 without a body: at least 50%.

    .venv/bin/python -m bench.section_read [--workers 1 2] [--connections 64] [--duration 8] [--warmup 2]

The corpus is bench/search.py's (real handbook prose, published province-wide; 1,000 sections by
default); a member signs in with a bearer token and the load cycles over ``--read-sections`` of them.
Each server runs as a subprocess on a free 127.0.0.1 port, both at once: bench/asgi_server.py's
``hello_app`` for the baseline and the real app (``api.asgi:app_from_env``, production settings, every
middleware, session resolved from Redis on each request), where ``GET /health/live`` with the same bearer
token is measured too, for reference: the floor any signed-in request pays (server, middleware,
session). The load is ``--connections`` keep-alive connections with one request in flight each, from
``wrk`` when installed, else the raw-socket client. The hello world and the app's three loads alternate
``--rounds`` times (3) and the round with the median 304 ratio is reported, with every round's ratios:
this machine is shared, and its load drifts over a run more than within a round. Figures go to stdout
and bench/results/section_read.json; the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.asgi_server import ROOT
from bench.search import (
    Measured,
    Request,
    app_env,
    content_servers,
    granian,
    http_request,
    load,
    machine,
    pick_client,
    sign_in,
    terminate_on_sigterm,
    write_report,
)

RESULTS = ROOT / "bench" / "results" / "section_read.json"
TARGETS = {"section_200": 0.35, "section_304": 0.50}


def measure(args: argparse.Namespace, port: int, requests: list[Request], ok_status: int) -> Measured:
    load(args.client, port, requests, args.connections, args.warmup, ok_status=ok_status)
    return load(args.client, port, requests, args.connections, args.duration, ok_status=ok_status)


def check(port: int, requests: list[Request], status: int) -> None:
    """Every request answers ``status`` (wrk only counts answers outside 2xx/3xx as errors)."""
    for path, headers in requests:
        got, _, body = http_request(port, "GET", path, headers=headers)
        if got != status:
            raise RuntimeError(f"GET {path} answered {got}, not {status}: {body[:300]!r}")


def section_requests(port: int, section_ids: list[str]) -> tuple[list[Request], list[Request]]:
    """Sign in; the plain reads and, with each answer's ETag, the revalidations."""
    auth = sign_in(port)
    reads: list[Request] = []
    revalidations: list[Request] = []
    for section_id in section_ids:
        path = f"/api/v1/sections/{section_id}"
        status, headers, body = http_request(port, "GET", path, headers=auth)
        if status != 200 or "etag" not in headers:
            raise RuntimeError(f"GET {path} answered {status} without an ETag: {body[:300]!r}")
        reads.append((path, auth))
        revalidations.append((path, {**auth, "If-None-Match": headers["etag"]}))
    return reads, revalidations


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {}
    with content_servers(tmp, sections=args.sections, members=args.members, seed=args.seed) as (db, redis, corpus):
        report["corpus"] = {k: v for k, v in asdict(corpus).items() if k != "section_ids"}
        section_ids = corpus.section_ids[: args.read_sections]
        env = app_env(db, redis, tmp)
        runs = []
        for workers in args.workers:
            with (
                granian("bench.asgi_server:hello_app", {}, workers=workers, log_dir=tmp, ready_path="/") as hello_port,
                granian("api.asgi:app_from_env", env, workers=workers, log_dir=tmp, ready_path="/health/live") as port,
            ):
                reads, revalidations = section_requests(port, section_ids)
                check(port, revalidations, 304)
                loads: dict[str, tuple[int, list[Request], int]] = {
                    "hello": (hello_port, [("/", {})], 200),
                    "health_live_signed_in": (port, [("/health/live", reads[0][1])], 200),
                    "section_200": (port, reads, 200),
                    "section_304": (port, revalidations, 304),
                }
                rounds = [
                    {name: measure(args, *load_of) for name, load_of in loads.items()} for _ in range(args.rounds)
                ]
                check(port, revalidations, 304)  # the ETags still held: every answer was a 304
            row = summarise(workers, rounds)
            runs.append(row)
            print_run(row)
        report["runs"] = runs
    return report


def summarise(workers: int, rounds: list[dict[str, Measured]]) -> dict[str, Any]:
    """The round with the median 304 ratio stands for the run; every round's ratios are kept.

    Each round loads the hello world and then the app back to back, so a ratio compares loads a few
    seconds apart; on a machine other work shares, the load of a whole run drifts more than that.
    """
    ratios = [{name: m.rps / r["hello"].rps for name, m in r.items() if name != "hello"} for r in rounds]
    order = sorted(range(len(rounds)), key=lambda i: ratios[i]["section_304"])
    median = order[len(order) // 2]
    row: dict[str, Any] = {
        "workers": workers,
        **{name: asdict(m) for name, m in rounds[median].items()},
        "ratios": ratios[median],
        "rounds": [{name: round(value, 4) for name, value in r.items()} for r in ratios],
    }
    row["verdicts"] = {
        name: "PASS" if row["ratios"][name] >= target and not row[name]["errors"] else "FAIL"
        for name, target in TARGETS.items()
    }
    return row


def print_run(row: dict[str, Any]) -> None:
    workers = row["workers"]
    header = (
        f"{'':<30} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'x hello':>8} "
        f"{'target':>7} {'result':>6}"
    )
    print(f"\ngranian, {workers} worker{'s' if workers > 1 else ''}\n{header}\n{'-' * len(header)}")
    lines = (
        ("hello world (bare Litestar)", "hello"),
        ("/health/live, signed in (ref.)", "health_live_signed_in"),
        ("section, signed in: 200", "section_200"),
        ("section, If-None-Match: 304", "section_304"),
    )
    for label, key in lines:
        m = row[key]
        ratio, target = row["ratios"].get(key), TARGETS.get(key)
        tail = "" if ratio is None else f"{ratio:>8.1%}"
        if target is not None:
            tail += f" {'>= ' + format(target, '.0%'):>7} {row['verdicts'][key]:>6}"
        print(
            f"{label:<30} {m['rps']:>8.0f} {m['p50_ms']:>7.2f} {m['p95_ms']:>7.2f} {m['p99_ms']:>7.2f} "
            f"{m['errors']:>6} {tail}"
        )
    for name in ("section_200", "section_304"):
        print(f"{name} of hello world, round by round: " + ", ".join(f"{r[name]:.1%}" for r in row["rounds"]))
    sys.stdout.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", type=int, default=1_000, help="sections in the corpus")
    parser.add_argument("--read-sections", type=int, default=100, help="distinct sections the load cycles over")
    parser.add_argument("--members", type=int, default=2_000, help="members of the synthetic province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds per load")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each load")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="granian worker counts to run")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the hello world and the app per run")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    pick_client(parser, args)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    terminate_on_sigterm()
    report: dict[str, Any] = {
        "machine": machine(),
        "load": {
            "client": args.client,
            "connections": args.connections,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "read_sections": args.read_sections,
        },
        "targets": TARGETS,
    }
    print(
        f"GetSection vs hello world: {args.connections} keep-alive connections, {args.warmup:g} s warm-up + "
        f"{args.duration:g} s measured per load, {args.read_sections} sections of {args.sections:,}, "
        f"load from {args.client}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ehb-bench-") as tmp:
        try:
            report |= run(args, Path(tmp))
        except KeyboardInterrupt:
            print("\ninterrupted: servers stopped", file=sys.stderr)
            return 130
    write_report(args.output, report)
    passed = all(v == "PASS" for row in report["runs"] for v in row["verdicts"].values())
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
