"""A firm's team on one server: two real OS accounts in one group share one store (issue #7 §3).

Run as root (as CI does), the test creates the accounts and the group, then forks: each child drops to one
account with setgid/setuid and works on the store as that person would. (The interpreter lives in root's home,
which the accounts cannot enter, so a child never starts a new interpreter: everything it needs is imported
before the fork.)
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from lsc_tui.config import secrets_for
from lsc_tui.domain.models import User
from lsc_tui.services import parties as parties_service
from lsc_tui.services import users as users_service
from lsc_tui.services.context import AppContext
from lsc_tui.store import StoreError, open_store
from lsc_tui.store.repositories import Repos

GROUP = "lscfirmtest"
ANNE, BRUNO, CAMILLE, OUTSIDER = "lscanne", "lscbruno", "lsccamille", "lscoutsider"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="creating OS accounts needs root (CI runs as root)")


def _ensure_accounts() -> None:
    with contextlib.suppress(KeyError):
        grp.getgrnam(GROUP)
        for login in (ANNE, BRUNO, CAMILLE, OUTSIDER):
            pwd.getpwnam(login)
        return
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    for login, group in ((ANNE, GROUP), (BRUNO, GROUP), (CAMILLE, GROUP), (OUTSIDER, "nogroup")):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(login)
            continue
        subprocess.run(["useradd", "-M", "-N", "-g", group, "-s", "/usr/sbin/nologin", login], check=True)


@pytest.fixture(scope="module")
def firm_dir() -> Iterator[Path]:
    _ensure_accounts()
    base = Path(tempfile.mkdtemp(prefix="lsc-team-", dir="/tmp"))
    os.chmod(base, 0o755)
    folder = base / "cabinet"
    folder.mkdir()
    os.chown(folder, 0, grp.getgrnam(GROUP).gr_gid)
    os.chmod(folder, 0o2770)  # what `lsc-tui init --group` makes

    def anne_creates() -> str:
        store = open_store(folder, create=True)
        users_service.add_first_admin(store, users_service.current_login(), "Anne")
        ctx = context_of(folder)
        users_service.add_user(ctx, BRUNO, name="Bruno")
        with store.transaction() as tx:
            tx.insert("parties", {"last_name": "Durand", "first_name": "Alix", "kind": "person"})
        secrets_for(folder).write({"yousign": {"api_key": "sk-team"}})
        return ctx.user.login

    assert as_user(ANNE, anne_creates) == {"ok": ANNE}  # identity from the uid, not from $USER
    yield folder
    shutil.rmtree(base)


def warm_lazy_imports() -> None:
    """What the standard library and phonenumbers import on first use (a date parsed, a French number's
    metadata): done here, before the fork, or the child fails to import it from root's home depending on
    which tests ran before in the same worker."""
    import _strptime  # noqa: F401  (datetime.strptime's first call imports it)

    from lsc_tui.domain.contact import check_email, check_phone

    check_phone("06 12 34 56 78")
    check_email("alix@exemple.fr")


def as_user(login: str, work: Callable[[], Any]) -> Any:
    """Run `work` in a child process that is `login` (real and effective ids), umask 022 like a shell."""
    warm_lazy_imports()
    entry = pwd.getpwnam(login)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read)
        code = 0
        try:
            os.setgroups([entry.pw_gid])
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.umask(0o022)
            os.environ["USER"] = os.environ["LOGNAME"] = ANNE  # identity must NOT come from here
            result: Any = {"ok": work()}
        except BaseException as exc:
            result = {"error": type(exc).__name__, "message": str(exc)}
            code = 1
        os.write(write, orjson.dumps(result, default=str))
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    return orjson.loads(payload)


def context_of(folder: Path) -> AppContext:
    store = open_store(folder)
    user, readonly = users_service.resolve_user(store, users_service.current_login())
    return AppContext(store=store, user=user, data_dir=folder, readonly=readonly)


def test_two_colleagues_share_one_store_and_nobody_else_can_read_it(firm_dir: Path) -> None:
    def bruno_edits() -> dict[str, Any]:
        ctx = context_of(firm_dir)
        party = Repos(ctx.store).parties.all()[0]
        form = parties_service.ContactForm("alix@exemple.fr", "+33 6 12 34 56 78", "", "", "69001", "Lyon")
        saved = parties_service.save_contact(ctx, party.id, form, expect_rev=party.rev)
        return {
            "login": ctx.user.login,
            "readonly": ctx.readonly,
            "mobile": saved.mobile,
            "key": secrets_for(firm_dir).get("yousign", "api_key"),
        }

    assert as_user(BRUNO, bruno_edits) == {
        "ok": {"login": BRUNO, "readonly": False, "mobile": "+33612345678", "key": "sk-team"}
    }

    def anne_reads() -> str:
        return Repos(open_store(firm_dir)).parties.all()[0].email

    assert as_user(ANNE, anne_reads) == {"ok": "alix@exemple.fr"}

    def outsider_tries() -> str:
        try:
            open_store(firm_dir, readonly=True)
        except StoreError as exc:
            return exc.message
        return "opened"

    refused = as_user(OUTSIDER, outsider_tries)["ok"]
    assert "groupe du cabinet" in refused

    gid = grp.getgrnam(GROUP).gr_gid
    for path in [firm_dir, *firm_dir.rglob("*")]:
        st = path.lstat()
        mode = stat.S_IMODE(st.st_mode)
        assert st.st_gid == gid, path
        assert not mode & 0o007, (path, oct(mode))  # never world-readable
        if path.name == "secrets.json":
            assert mode == 0o640, oct(mode)  # the group reads the keys, nobody writes them in place
        elif path.is_dir():
            assert mode == 0o2770, (path, oct(mode))
        else:
            assert mode & 0o060 == 0o060, (path, oct(mode))  # a colleague can write what I wrote


def test_a_colleague_the_store_does_not_know_opens_read_only(firm_dir: Path) -> None:
    """Camille is in the firm's group but was never added with `lsc-tui users add`: she reads, writes nothing."""

    def camille() -> dict[str, Any]:
        ctx = context_of(firm_dir)
        party = Repos(ctx.store).parties.all()[0]
        form = parties_service.ContactForm("x@exemple.fr", "", "", "", "", "")
        try:
            parties_service.save_contact(ctx, party.id, form, expect_rev=party.rev)
        except Exception as exc:
            return {"login": ctx.user.login, "readonly": ctx.readonly, "refused": type(exc).__name__}
        return {"login": ctx.user.login, "readonly": ctx.readonly, "refused": ""}

    assert as_user(CAMILLE, camille) == {"ok": {"login": CAMILLE, "readonly": True, "refused": "ReadOnly"}}


def test_only_an_admin_manages_users(firm_dir: Path) -> None:
    def bruno_adds() -> str:
        try:
            users_service.add_user(context_of(firm_dir), "intrus", admin=True)
        except Exception as exc:
            return type(exc).__name__
        return "added"

    assert as_user(BRUNO, bruno_adds) == {"ok": "Forbidden"}
    assert all(u.login != "intrus" for u in Repos(open_store(firm_dir, readonly=True)).users.all())
    assert isinstance(Repos(open_store(firm_dir, readonly=True)).users.by_login(ANNE), User)
