"""The ``ehandbook`` command: dev, serve, worker, migrate, seed, import-members, create-admin."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import msgspec

from api.audit.service import record
from api.auth.passwords import Passwords, password_problem
from api.context import RequestContext
from api.db import connect
from api.embedded import embedded_postgres, embedded_redis
from api.errors import DomainError
from api.members.importer import import_members_file
from api.migrate import MigrationError, migrate
from api.seed import already_seeded, seed_branch_life, seed_demo_accounts, seed_province
from api.settings import DEFAULT_DEMO_PASSWORD, Secret, Settings, SettingsError

CLI_CONTEXT = RequestContext(principal=None, ip=None, user_agent="ehandbook cli")
"""Who acts when an operator runs a command: nobody signed in, recorded as the command line."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        result: int = args.run(args)
    except (SettingsError, MigrationError) as error:
        print(f"ehandbook: {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"ehandbook: {error.detail}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"ehandbook: {error.strerror}: {error.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ehandbook", description="Sổ tay Đảng viên điện tử: API and tools.")
    commands = parser.add_subparsers(title="commands", dest="command")

    dev = commands.add_parser("dev", help="serve the app with demo data on embedded PostgreSQL and Redis")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--members", type=int, default=1500, help="size of the demo province (first run only)")
    dev.add_argument("--seed", type=int, default=2026)
    dev.set_defaults(run=_dev)

    serve = commands.add_parser(
        "serve", help="serve in production (needs EHB_DATABASE_URL, EHB_REDIS_URL, EHB_SECRET_KEY)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    serve.set_defaults(run=_serve)

    worker = commands.add_parser(
        "worker",
        help="deliver notifications (outbox dispatcher, push jobs) and run the periodic jobs of api/schedule.py "
        "(needs EHB_DATABASE_URL, EHB_REDIS_URL)",
    )
    worker.add_argument("--concurrency", type=int, default=8, help="chunk jobs run at once")
    worker.add_argument(
        "--per-host", type=int, default=64, help="most requests in flight per push-service host (decision 35)"
    )
    worker.add_argument("--no-dispatch", action="store_true", help="run no dispatcher; another process dispatches")
    worker.set_defaults(run=_worker)

    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(run=_migrate)

    seed = commands.add_parser("seed", help="create a synthetic province shaped like Dong Nai")
    seed.add_argument("--members", type=int, default=1500)
    seed.add_argument("--seed", type=int, default=2026)
    seed.add_argument("--demo-accounts", action="store_true", help="also create the demo.* accounts")
    seed.set_defaults(run=_seed)

    importer = commands.add_parser("import-members", help="import a member CSV (see docs/import.md)")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="validate and report, change nothing")
    importer.set_defaults(run=_import_members)

    commands.add_parser("openapi", help="print the OpenAPI document (no servers needed)").set_defaults(run=_openapi)

    commands.add_parser(
        "vapid-keys", help="print a new Web Push (VAPID) key pair for EHB_VAPID_PRIVATE_KEY"
    ).set_defaults(run=_vapid_keys)

    admin = commands.add_parser("create-admin", help="create a province admin account")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", required=True, help="display name")
    admin.add_argument("--unit", help="org unit code of the scope (default: the province)")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    admin.set_defaults(run=_create_admin)
    return parser


@contextlib.contextmanager
def _servers(settings: Settings) -> Iterator[Settings]:
    """Settings with database and Redis URLs: the configured ones, or embedded servers in dev mode."""
    with contextlib.ExitStack() as stack:
        database_url, redis_url = settings.database_url, settings.redis_url
        if database_url is None or redis_url is None:
            if settings.mode == "production":
                raise SettingsError("EHB_DATABASE_URL and EHB_REDIS_URL are required in production mode")
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            if database_url is None:
                database_url = Secret(stack.enter_context(embedded_postgres(settings.data_dir)))
            if redis_url is None:
                redis_url = Secret(stack.enter_context(embedded_redis(settings.data_dir)))
        yield msgspec.structs.replace(settings, database_url=database_url, redis_url=redis_url)


async def _connect(settings: Settings) -> asyncpg.Connection[asyncpg.Record]:
    assert settings.database_url is not None  # noqa: S101
    return await connect(settings.database_url.reveal())


async def _prepare(settings: Settings, *, members: int | None, seed: int) -> bool:
    """Migrate, and seed the demo province once; return whether it was seeded now."""
    conn = await _connect(settings)
    try:
        for name in await migrate(conn):
            print(f"  applied {name}")
        if members is None or await already_seeded(conn):
            return False
        async with conn.transaction():
            await seed_province(conn, members=members, seed=seed)
            await seed_demo_accounts(conn, Passwords(settings), settings.demo_password.reveal())
            await seed_branch_life(conn)
        return True
    finally:
        await conn.close()


def _run_server(settings: Settings, *, host: str, port: int, workers: int) -> None:
    from granian import Granian  # noqa: PLC0415 - heavy import only for the commands that serve
    from granian.constants import Interfaces  # noqa: PLC0415
    from granian.log import LogLevels  # noqa: PLC0415

    assert settings.database_url is not None  # noqa: S101
    assert settings.redis_url is not None  # noqa: S101
    # Workers are separate processes that read their settings from the environment.
    os.environ["EHB_DATABASE_URL"] = settings.database_url.reveal()
    os.environ["EHB_REDIS_URL"] = settings.redis_url.reveal()
    os.environ["EHB_MODE"] = settings.mode
    Granian(
        "api.asgi:app_from_env",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        log_access=False,
        log_level=LogLevels.warning,
    ).serve()


def _dev(args: argparse.Namespace) -> int:
    settings = Settings.from_env(mode="dev")
    print("ehandbook dev: starting embedded servers where no URL is configured ...")
    with _servers(_with_dev_vapid_key(settings)) as ready:
        seeded = asyncio.run(_prepare(ready, members=args.members, seed=args.seed))
        # The push worker runs in this process (the server's workers are processes of their own).
        from push.worker import WorkerThread  # noqa: PLC0415 - only the commands that push need it

        worker = WorkerThread(ready)
        worker.start()
        url = f"http://{args.host}:{args.port}"
        print(f"\n  Sổ tay Đảng viên is running at {url}   (API docs: {url}/api/docs)")
        print(f"  {'Seeded' if seeded else 'Kept'} the demo province in {settings.data_dir.resolve()}")
        password = "from EHB_DEMO_PASSWORD" if os.environ.get("EHB_DEMO_PASSWORD") else DEFAULT_DEMO_PASSWORD
        print(f"  Demo accounts (password: {password}):")
        for username in ("demo.member", "demo.secretary", "demo.moderator", "demo.admin"):
            print(f"    {username}")
        print("  Press Ctrl+C to stop.\n", flush=True)
        try:
            _run_server(ready, host=args.host, port=args.port, workers=1)
        finally:
            worker.stop(timeout=30)
    return 0


DEV_VAPID_SUBJECT = "mailto:dev@ehandbook.vn"


def _with_dev_vapid_key(settings: Settings) -> Settings:
    """Dev mode pushes out of the box: a VAPID key made once under the data folder unless one is configured.

    The server's worker processes read settings from the environment, so the key goes there too.
    """
    from push.vapid import generate_vapid_keys  # noqa: PLC0415 - only the commands that push need it

    if settings.push_enabled:
        return settings
    key_file = settings.data_dir / "vapid.pem"
    if not key_file.is_file():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(generate_vapid_keys().private_key_pem, encoding="utf-8")
        key_file.chmod(0o600)
    pem = key_file.read_text(encoding="utf-8")
    subject = settings.vapid_subject or DEV_VAPID_SUBJECT
    os.environ["EHB_VAPID_PRIVATE_KEY"] = pem
    os.environ["EHB_VAPID_SUBJECT"] = subject
    return msgspec.structs.replace(settings, vapid_private_key=Secret(pem), vapid_subject=subject)


def _serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env(mode="production")
    asyncio.run(_prepare(settings, members=None, seed=0))
    _run_server(settings, host=args.host, port=args.port, workers=max(1, args.workers))
    return 0


def _worker(args: argparse.Namespace) -> int:
    from api.observability import configure_logging  # noqa: PLC0415 - only the long-running commands need these
    from push.worker import WorkerOptions, run_worker_forever  # noqa: PLC0415

    settings = Settings.from_env()
    if settings.database_url is None or settings.redis_url is None:
        raise SettingsError("EHB_DATABASE_URL and EHB_REDIS_URL are required (ehandbook dev runs the worker itself)")
    configure_logging(json_lines=settings.log_json, level=settings.log_level)
    options = WorkerOptions(
        concurrency=max(1, args.concurrency), per_host=max(1, args.per_host), dispatch=not args.no_dispatch
    )
    asyncio.run(run_worker_forever(settings, options=options))
    return 0


def _migrate(_: argparse.Namespace) -> int:
    with _servers(Settings.from_env()) as settings:
        asyncio.run(_prepare(settings, members=None, seed=0))
    print("migrations are up to date")
    return 0


def _seed(args: argparse.Namespace) -> int:
    async def run(settings: Settings) -> int:
        conn = await _connect(settings)
        try:
            await migrate(conn)
            if await already_seeded(conn):
                print("ehandbook: the database already has a province; seed refuses to add a second", file=sys.stderr)
                return 1
            async with conn.transaction():
                report = await seed_province(conn, members=args.members, seed=args.seed)
                if args.demo_accounts:
                    await seed_demo_accounts(conn, Passwords(settings), settings.demo_password.reveal())
                    await seed_branch_life(conn)
            print(f"seeded {report.units} org units, {report.members} members and {report.sections} handbook sections")
            return 0
        finally:
            await conn.close()

    with _servers(Settings.from_env()) as settings:
        return asyncio.run(run(settings))


def _import_members(args: argparse.Namespace) -> int:
    async def run(settings: Settings) -> int:
        conn = await _connect(settings)
        try:
            await migrate(conn)
            roots = [row["id"] for row in await conn.fetch("select id from org_units where parent_id is null")]
            async with conn.transaction():
                report = await import_members_file(
                    conn,
                    CLI_CONTEXT,
                    args.file.read_bytes(),
                    file_name=args.file.name,
                    scope_unit_ids=roots,
                    dry_run=args.dry_run,
                )
        finally:
            await conn.close()
        print(
            f"rows {report.rows_total}: inserted {report.inserted}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {report.rejected}{' (dry run)' if args.dry_run else ''}"
        )
        for error in report.errors:
            print(f"  line {error.line}: {error.field or '-'}: {error.message} [{error.code}]")
        return 0 if not report.errors else 1

    with _servers(Settings.from_env()) as settings:
        return asyncio.run(run(settings))


def _openapi(_: argparse.Namespace) -> int:
    from litestar.serialization import encode_json  # noqa: PLC0415

    from api.app import create_app  # noqa: PLC0415

    # The document describes routes only: nothing is connected, so placeholder URLs do.
    settings = msgspec.structs.replace(
        Settings.from_env(mode="dev"), database_url=Secret("postgresql://unused/x"), redis_url=Secret("redis://unused")
    )
    document = create_app(settings).openapi_schema.to_schema()
    sys.stdout.write(json.dumps(json.loads(encode_json(document)), indent=1, ensure_ascii=False) + "\n")
    return 0


def _vapid_keys(_: argparse.Namespace) -> int:
    from push.vapid import generate_vapid_keys  # noqa: PLC0415 - only this command needs it

    keys = generate_vapid_keys()
    # The PEM goes into a file named by EHB_VAPID_PRIVATE_KEY_FILE, or the one-line form into the variable.
    sys.stdout.write(
        f"EHB_VAPID_PRIVATE_KEY={keys.private_key_b64}\n"
        f"# applicationServerKey (public, served by GetVapidPublicKey): {keys.application_server_key}\n"
        f"{keys.private_key_pem}"
    )
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    problem = password_problem(password)
    if problem:
        print(f"ehandbook: {problem}", file=sys.stderr)
        return 2

    async def run(settings: Settings) -> int:
        conn = await _connect(settings)
        try:
            await migrate(conn)
            unit_id = await conn.fetchval(
                "select id from org_units where code = $1 or ($1 is null and parent_id is "
                "null) order by parent_id nulls first limit 1",
                args.unit,
            )
            if unit_id is None:
                print("ehandbook: no such org unit (seed or create the province first)", file=sys.stderr)
                return 1
            password_hash = await Passwords(settings).hash(password)
            async with conn.transaction():
                account_id = await conn.fetchval(
                    "insert into accounts (username, display_name, password_hash, activated_at) "
                    "values ($1, $2, $3, now()) returning id",
                    args.username.lower(),
                    args.name,
                    password_hash,
                )
                await conn.execute(
                    "insert into role_grants (account_id, role, unit_id) values ($1, 'admin', $2)", account_id, unit_id
                )
                await record(
                    conn,
                    CLI_CONTEXT,
                    "admin_created",
                    target=f"account:{account_id}",
                    unit_id=unit_id,
                    details={"via": "cli"},
                )
        except asyncpg.UniqueViolationError:
            print(f"ehandbook: the username {args.username!r} is taken", file=sys.stderr)
            return 1
        finally:
            await conn.close()
        print(f"created admin {args.username}")
        return 0

    with _servers(Settings.from_env()) as settings:
        return asyncio.run(run(settings))


if __name__ == "__main__":
    raise SystemExit(main())
