"""A real PostgreSQL for the tests, found or started once per test session, and a fresh database per test.

In order: `LSC_TUI_TEST_PG` (a libpq URL of a server where the tests may create databases, as `.ci/run` sets);
else a throwaway cluster from Debian's `postgresql` package (`initdb` in a temp dir, a unix socket in that dir,
no TCP, stopped at the end of the session even when tests fail); else the PostgreSQL tests are left out at
collection and the run ends with one line saying so, and the rest of the suite runs.

Registered as a plugin by tests/conftest.py (`pytest_plugins`): its fixtures and hooks apply to every test.

`initdb` refuses to run as root, so as root the cluster belongs to the `postgres` OS account (`runuser`).
The throwaway cluster runs without fsync: these tests check behaviour, never durability across power loss.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

ENV = "LSC_TUI_TEST_PG"
TEMPLATE = "lsc_test_template_v1"
TEMPLATE_LOCK = 0x4C5343  # advisory lock id: one session at a time builds the template database
SKIP_REASON = (
    "PostgreSQL absent : ni LSC_TUI_TEST_PG ni /usr/lib/postgresql/*/bin/initdb (paquet Debian « postgresql »)"
    " ; tests PostgreSQL non lancés."
)


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials, another database (a URL stays a URL, so `open_store` accepts it)."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path="/" + quote(dbname)))
    return make_conninfo(url, dbname=dbname)


@contextlib.contextmanager
def bench_database(
    url: str | None, name: str, *, durable: bool, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """A benchmark's database `name` (kept between runs) on the server at `url`, or on a throwaway cluster
    started here and stopped on the way out when no URL is given."""
    cluster = None if url else Cluster.start(durable=durable, settings=settings)
    server = url or cluster.url  # type: ignore[union-attr]
    try:
        with psycopg.connect(server, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield with_database(server, name)
    finally:
        if cluster is not None:
            cluster.stop()


def find_bin(name: str) -> Path | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]) if found else None


@dataclass
class Cluster:
    """A cluster of our own in a temp dir, reachable only through its unix socket."""

    root: Path
    bin_dir: Path
    as_postgres: bool

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/postgres?host={quote(str(self.root), safe='')}"

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")

    @classmethod
    def start(cls, *, durable: bool = False, settings: dict[str, str] | None = None) -> Cluster:
        """initdb + pg_ctl start; `durable` keeps fsync on (benchmarks), tests run without it."""
        initdb = find_bin("initdb")
        if initdb is None:
            raise FileNotFoundError("initdb")
        as_postgres = os.geteuid() == 0
        root = Path(tempfile.mkdtemp(prefix="lsc-pg-"))
        if as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(root, pw.pw_uid, pw.pw_gid)
        cluster = cls(root, initdb.parent, as_postgres)
        atexit.register(cluster.stop)  # a crash of the test process still stops the server
        options = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{root}'",
            "max_connections": "200",
            **({} if durable else {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}),
            **(settings or {}),
        }
        try:
            cluster._run(
                str(initdb), "-D", str(cluster.data), "-U", "postgres", "-E", "UTF8", "--locale=C",
                "--auth=trust", "--no-sync",
            )  # fmt: skip
            opts = " ".join(f"-c {k}={v}" for k, v in options.items())
            cluster._run(
                str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data), "-l", str(root / "server.log"),
                "-o", opts, "-w", "-t", "60", "start",
            )  # fmt: skip
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def stop(self) -> None:
        if not self.root.exists():
            return
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Server:
    """Where the tests create their databases: `url` names a maintenance database of that server."""

    url: str

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def ensure_template(self) -> None:
        """A template database with pg_trgm, so that each test's database is one quick CREATE DATABASE."""
        with self.admin() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (TEMPLATE_LOCK,))
            try:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone()
                if exists is None:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
                    with psycopg.connect(with_database(self.url, TEMPLATE), autocommit=True) as tpl:
                        tpl.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (TEMPLATE_LOCK,))

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A fresh database for one test (its own tables and its own NOTIFY channel), dropped afterwards."""
        name = f"lsc_test_{uuid.uuid4().hex[:16]}"
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(TEMPLATE)
                )
            )
        try:
            yield with_database(self.url, name)
        finally:
            with self.admin() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def start_server() -> tuple[Server, Cluster | None] | None:
    """The server the tests use, or None when there is none to be had on this machine."""
    url = os.environ.get(ENV)
    if url:
        return Server(url), None
    if find_bin("initdb") is None:
        return None
    cluster = Cluster.start()
    return Server(cluster.url), cluster


def available() -> bool:
    return bool(os.environ.get(ENV)) or find_bin("initdb") is not None


def needs_postgres(item: pytest.Item) -> bool:
    """A test using the server: by fixture, or a contract test on its PostgreSQL backend."""
    names = getattr(item, "fixturenames", ())
    callspec = getattr(item, "callspec", None)
    return "pg_server" in names or (callspec is not None and callspec.params.get("backend") == "postgres")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if available():
        return
    left_out = [item for item in items if needs_postgres(item)]
    if left_out:
        items[:] = [item for item in items if not needs_postgres(item)]
        config.hook.pytest_deselected(items=left_out)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not available():
        terminalreporter.write_line(SKIP_REASON, yellow=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """The session's PostgreSQL server; skips (one reason, shown once by `-ra`) when there is none."""
    found = start_server()
    if found is None:
        pytest.skip(SKIP_REASON)
    server, cluster = found
    try:
        server.ensure_template()
        yield server
    finally:
        if cluster is not None:
            cluster.stop()


@pytest.fixture
def pg_url(pg_server: Server) -> Iterator[str]:
    """A libpq URL of a database created for this test alone."""
    with pg_server.database() as url:
        yield url
