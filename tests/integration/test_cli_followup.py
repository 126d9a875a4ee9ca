"""The follow-up's commands as scripts use them: `users grant|revoke` (C5) and `journal export` (X6)."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

from lsc_tui.store import open_store
from tests.integration.test_cli import lsc


def test_grant_a_right_then_export_the_journal(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert lsc("demo", "--data", str(demo), "--seed-only").returncode == 0
    refused = lsc("users", "grant", "julien", "messages", "--data", str(demo), env_user="julien")
    assert refused.returncode == 2 and "réservé aux administrateurs" in refused.stderr
    given = lsc("users", "grant", "julien", "messages", "--data", str(demo))
    assert given.returncode == 0, given.stderr
    assert given.stdout.strip() == "Droit « messages » donné à julien ; ses droits : messages."
    taken = lsc("users", "revoke", "julien", "messages", "--data", str(demo))
    assert taken.stdout.strip() == "Droit « messages » retiré à julien ; ses droits : aucun."
    assert next(u for u in open_store(demo).select("users") if u["login"] == "julien")["rights"] == []

    target = tmp_path / "journal.csv"
    done = lsc("journal", "export", str(target), "--action", "utilisateur.droit", "--data", str(demo))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"2 lignes du journal écrites dans {target}."
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert [r[6] for r in rows[1:]] == ["julien : messages retiré", "julien : messages donné"]
    again = lsc("journal", "export", str(target), "--data", str(demo))
    assert again.returncode == 2 and f"{target} existe déjà : ajoutez --force pour l'écraser." in again.stderr
    bad = lsc("journal", "export", str(target), "--du", "31/02/2026", "--force", "--data", str(demo))
    assert bad.returncode == 2 and "n'est pas une date" in bad.stderr
