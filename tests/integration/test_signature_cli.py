"""`lsc-tui sync` and `lsc-tui webhooks serve` as cron and an admin run them: real processes, a demo folder
(its sandbox in-process, the seeded files real at the sandbox)."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import lsc


def test_sync_prints_a_summary_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert lsc("demo", "--data", str(demo), "--seed-only").returncode == 0
    first = lsc("sync", "--data", str(demo))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == "Signatures à jour : rien n'a changé chez le prestataire."
    assert lsc("sync", "--data", str(demo)).stdout == first.stdout


def test_the_webhook_receiver_refuses_an_account_that_is_not_a_user(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert lsc("demo", "--data", str(demo), "--seed-only").returncode == 0
    refused = lsc("webhooks", "serve", "--data", str(demo), env_user="inconnu")
    assert refused.returncode == 2 and refused.stderr.startswith("lsc-tui : inconnu n'est pas un utilisateur")
    assert len(refused.stderr.strip().splitlines()) == 1
