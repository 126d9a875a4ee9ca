"""`lsc-tui letters pending | validate | refresh` as a cron job or a script runs them (X3): real processes on a
fresh demo folder (its sandbox in-process), the code printed by `lsc-tui demo otp`."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import lsc


def test_pending_then_a_wrong_code_then_the_right_one(tmp_path: Path) -> None:
    demo = str(tmp_path / "demo")
    assert lsc("demo", "--data", demo, "--seed-only").returncode == 0
    listed = lsc("letters", "pending", "--data", demo)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[-1] == "12" and len(lines) == 13  # one line per letter, then the count alone

    wrong = lsc("letters", "validate", "--otp", "12 34 5", "--all", "--data", demo)
    assert wrong.returncode == 2 and wrong.stderr.startswith("lsc-tui : Le code saisi a 5 chiffres")
    assert lsc("letters", "pending", "--data", demo).stdout.splitlines()[-1] == "12"  # nothing changed

    neither = lsc("letters", "validate", "--otp", "123456", "--data", demo)
    assert neither.returncode == 2 and "--all" in neither.stderr

    code = lsc("demo", "otp", "--data", demo).stdout[:6]
    first = lines[0].split("\t")[0]
    one = lsc("letters", "validate", "--otp", code, first, "--data", demo)
    assert one.returncode == 0, one.stderr + one.stdout
    assert one.stdout.splitlines()[-1] == "Réussi : 1 sur 1 lettre"
    done = lsc("letters", "validate", "--otp", code, "--all", "--data", demo)
    assert done.returncode == 0, done.stderr + done.stdout
    assert len([x for x in done.stdout.splitlines() if x.startswith("ok")]) == 11
    assert lsc("letters", "pending", "--data", demo).stdout.splitlines() == ["0"]

    refreshed = lsc("letters", "refresh", "--data", demo)
    assert refreshed.returncode == 0 and refreshed.stdout.startswith("12 lettre(s) demandée(s) à AR24")


def test_validating_a_letter_that_is_not_waiting_exits_non_zero(tmp_path: Path) -> None:
    demo = str(tmp_path / "demo")
    assert lsc("demo", "--data", demo, "--seed-only").returncode == 0
    code = lsc("demo", "otp", "--data", demo).stdout[:6]
    result = lsc("letters", "validate", "--otp", code, "0001-000099", "--data", demo)
    assert result.returncode != 0
