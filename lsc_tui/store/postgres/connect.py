"""Connections to the firm's database: the pool, the address shown to people, and errors worded for them.

The address shown (header, messages) never carries the password, whatever form the URL took. Driver errors
become one French `StoreError` sentence at the store's edge; the driver's own first line is kept in
parentheses (libpq never puts the password in it).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import orjson
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool, PoolTimeout

from lsc_tui.store.errors import StoreError

CONNECT_TIMEOUT_S = 10
POOL_TIMEOUT_S = 30.0
LOCK_TIMEOUT = "30s"

# The pool logs each failed attempt to (re)connect. With no handler configured, Python's last-resort handler
# printed them on stderr: over the TUI's screen when the server restarts, before our own sentence when a base
# does not exist. People get that sentence (`unreachable`, `db_errors`); a configured root logger still gets
# the pool's lines.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())


def redact(url: str) -> str:
    """The URL without its password (`postgresql://claire@db.cabinet.local/lsc`)."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            netloc = f"{userinfo.split(':', 1)[0]}@{host}"
        query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith("password="))
        return urlunsplit(parts._replace(netloc=netloc, query=query))
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(adresse PostgreSQL illisible)"
    params.pop("password", None)
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})


def reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


def configure(conn: psycopg.Connection) -> None:
    """Every connection decodes jsonb with orjson (a page of records is decoded on the UI's critical path)."""
    set_json_loads(orjson.loads, conn)


def connect(url: str, location: str) -> psycopg.Connection:
    """One connection of its own (schema work, LISTEN), in autocommit mode."""
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise unreachable(location, exc) from exc
    configure(conn)
    return conn


def unreachable(location: str, exc: BaseException) -> StoreError:
    return StoreError(
        f"La base PostgreSQL {location} est injoignable ({reason(exc)}) : vérifiez l'adresse, l'utilisateur,"
        " le mot de passe et que le serveur est démarré."
    )


class HotFirstPool(ConnectionPool):
    """A pool that hands out the connection returned last.

    psycopg_pool hands its idle connections out oldest first, so consecutive keystrokes each ran on another
    server process. A new server process maps each shared buffer it touches on first use: at 1,000,000
    letters the first narrowed page a connection served took 35–41 ms, the same query 23–25 ms on it next
    time. Most recent first, the same few connections serve the typing and stay warm, and the idle ones
    are the ones the pool closes (`max_idle`)."""

    def _get_ready_connection(self, timeout: float | None) -> psycopg.Connection | None:
        if self._pool:  # called under the pool's lock
            self._pool.rotate(1)  # the connection returned last moves to where the pool takes from
        return super()._get_ready_connection(timeout)


def make_pool(url: str, location: str, size: int, *, wait: bool = True) -> ConnectionPool:
    """The store's pool, its first connection made; with `wait=False` made in the pool's own thread, for the
    caller to do something else meanwhile (`wait_for` then)."""
    pool = HotFirstPool(
        url,
        min_size=1,
        max_size=size,
        kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
        configure=configure,
        check=ConnectionPool.check_connection,  # one empty query: a connection the server cut is replaced
        open=False,
        timeout=POOL_TIMEOUT_S,
        name="lsc-tui",
    )
    pool.open(wait=False)
    return wait_for(pool, location) if wait else pool


def wait_for(pool: ConnectionPool, location: str) -> ConnectionPool:
    try:
        pool.wait(timeout=CONNECT_TIMEOUT_S)
    except PoolTimeout as exc:
        pool.close()
        raise unreachable(location, exc) from exc
    return pool


@contextlib.contextmanager
def db_errors(location: str) -> Iterator[None]:
    """Driver and pool errors → one French sentence; our own errors and the caller's pass through."""
    try:
        yield
    except PoolTimeout as exc:
        raise StoreError(
            f"La base PostgreSQL {location} ne répond pas (connexions occupées ou serveur arrêté) :"
            f" rien n'a été fait ({reason(exc)}) ; réessayez dans un instant."
        ) from exc
    except (psycopg.errors.DeadlockDetected, psycopg.errors.LockNotAvailable) as exc:
        raise StoreError(
            f"La base PostgreSQL {location} est occupée par un autre utilisateur : rien n'a été enregistré"
            f" ({reason(exc)}) ; réessayez dans un instant."
        ) from exc
    except psycopg.OperationalError as exc:
        raise StoreError(
            f"La connexion à la base PostgreSQL {location} a été interrompue ({reason(exc)}) : l'opération"
            " n'a pas abouti ; réessayez, et si cela continue, vérifiez le serveur."
        ) from exc
    except psycopg.Error as exc:
        raise StoreError(
            f"La base PostgreSQL {location} a refusé l'opération ({reason(exc)}) : rien n'a été enregistré."
        ) from exc
