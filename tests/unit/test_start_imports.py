"""What `lsc-tui` imports before Accueil is on screen: no PDF, phone-number, HTTP or provider module.

Those modules cost more than Textual itself to import (bench/bench_ui.py, start to Accueil); the screens that
need them are imported on first visit or by the warm-up once Accueil shows its counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("fpdf", "pypdf", "httpx", "phonenumbers", "email_validator", "cryptography", "lsc_tui.documents")

PROBE = """
import json, sys
from pathlib import Path
from lsc_tui.cli.main import lsc
from lsc_tui.cli.wiring import build_context, open_for_work
from lsc_tui.config import secrets_for
from lsc_tui.tui.app import create_app
from tests.fixtures import seeded_store

root = Path(sys.argv[1])
seeded_store(root).close()
if len(sys.argv) > 2:  # a demo folder: its sandbox is mounted in-process, on first use
    from lsc_tui.cli.wiring import DEMO_MARKER, SANDBOX_ACCOUNTS

    (root / SANDBOX_ACCOUNTS).write_bytes(Path(sys.argv[2]).read_bytes())
    (root / DEMO_MARKER).write_text("ready")
secrets_for(root).write({
    "yousign": {"api_key": "k", "base_url": "sandbox"},
    "esign": {"api_key": "k", "base_url": "sandbox"},
    "ar24": {"token": "t", "private_key": "p", "base_url": "sandbox"},
})
ctx = build_context(open_for_work(root), root, login="claire")
create_app(ctx, keymap_path=None)
print(json.dumps(sorted({m.split(".")[0] if not m.startswith("lsc_tui") else m for m in sys.modules})))
"""


def test_start_imports_nothing_heavy(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "data")], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert not {m for m in HEAVY if m in loaded}
    assert not {m for m in loaded if m.startswith("lsc_tui.cli.")} - {
        "lsc_tui.cli.main",
        "lsc_tui.cli.wiring",
        "lsc_tui.cli.french",
        "lsc_tui.cli.options",
        "lsc_tui.cli.start",
        "lsc_tui.cli.tui_app",
        "lsc_tui.cli.where",
    }  # the headless commands' modules load with their command


HELPED = """
import json, sys
from pathlib import Path
from lsc_tui.cli.tui_app import make_tui
from lsc_tui.cli.first_reads import FirstReads
from lsc_tui.cli.wiring import build_context
from lsc_tui.domain.users import User
from lsc_tui.store.deferred import DeferredStore

def never():
    raise AssertionError("the store was opened before the first frame")

store = DeferredStore(never, location="postgresql://lsc@db/cabinet", readonly=False)
make_tui(build_context(store, Path(sys.argv[1]), user=(User("claire", "Claire"), False)), read_first=False)
print(json.dumps(sorted(m for m in sys.modules if m.startswith("lsc_tui"))))
"""


def test_a_start_helped_by_its_helper_creates_no_model_before_accueil(tmp_path: Path) -> None:
    """What the app process imports while the helper reads (cli/main.py open_tui): no repository, none of the
    models they map (their ~40 dataclasses cost ~30 ms to create): only who acts and the tables' names."""
    done = subprocess.run(
        [sys.executable, "-c", HELPED, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "lsc_tui.tui.screens.accueil" in loaded and "lsc_tui.domain.users" in loaded
    assert "lsc_tui.domain.models" not in loaded
    assert {m for m in loaded if m.startswith("lsc_tui.store.repositories.")} == {
        "lsc_tui.store.repositories.base",
        "lsc_tui.store.repositories.table_names",
    }


BEFORE_FORK = """
import json, sys
from lsc_tui.cli import first_reads, main

def fork(*_args):
    print(json.dumps(sorted(sys.modules)))
    raise SystemExit(0)

first_reads.fork_first_reads = fork
main(["--data", sys.argv[1]])
"""


def test_lsc_tui_forks_its_helper_before_importing_click_the_store_or_textual(tmp_path: Path) -> None:
    """What `lsc-tui` runs before the helper is forked delays the helper, whose reads Accueil's first frame
    waits for: only where the store is (the configuration). The command line's parser comes after."""
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_FORK, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "lsc_tui.cli.first_reads" in loaded and "lsc_tui.config" in loaded
    heavy = {
        "click",
        "textual",
        "psycopg",
        "asyncio",
        "lsc_tui.cli.main",
        "lsc_tui.services",
        "lsc_tui.domain.models",
        "lsc_tui.cli.wiring",
    }
    assert not heavy & loaded


PLAIN_START = """
import json, sys
from lsc_tui.cli import main, tui_app

def shown(app):
    print(json.dumps(sorted(sys.modules)))

tui_app.run_tui = shown
main(["--data", sys.argv[1]])
"""


def test_a_plain_start_makes_its_app_without_click(tmp_path: Path) -> None:
    """`lsc-tui --data DIR` (or `--store URL`, or nothing): click's parser is ~10 ms of the start's imports."""
    from tests.fixtures import seeded_store

    seeded_store(tmp_path / "data").close()
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_START, str(tmp_path / "data")], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "lsc_tui.tui.app" in loaded and "click" not in loaded


def test_every_command_is_found_by_the_lazy_group() -> None:
    """A command registered by a module the lazy group does not name would vanish from `lsc-tui --help`."""
    import importlib
    import pkgutil

    import lsc_tui.cli
    from lsc_tui.cli.main import LazyGroup, lsc

    for info in pkgutil.iter_modules(lsc_tui.cli.__path__):
        importlib.import_module(f"lsc_tui.cli.{info.name}")
    assert set(lsc.commands) == set(LazyGroup.MODULES)
    registered_by = {name: cmd.callback.__module__ for name, cmd in lsc.commands.items() if cmd.callback}
    assert all(f"lsc_tui.cli.{LazyGroup.MODULES[n][0]}" == m for n, m in registered_by.items())


def test_a_demo_start_mounts_its_sandbox_after_accueil(tmp_path: Path) -> None:
    """The demo's in-process sandbox (AR24 proofs, PDF stamping) is mounted on first use or by the warm-up."""
    from lsc_tui.sandbox.core import load_accounts

    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps(load_accounts(None)))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "demo"), str(accounts)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert not {m for m in loaded if m.startswith("lsc_tui.sandbox")}
    assert not {m for m in HEAVY if m in loaded} - {"httpx"}  # the transport's class is httpx's
