"""S10 at 80×24 on a fresh demo, through the keys a person presses: a signed fiche's dossier de preuve saved
where the user says (`a` `p` `e`), then filed on its party (`a` `p` `1`) and listed in the party's history;
then the proof bundle of every signed file (status filter, ctrl+a, `a` `p`), one result per file."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

from textual.widgets import Input

from lsc_tui.cli.demo import seed_demo
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import history
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.choice import ChoiceScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.signer_form import TextDialog
from lsc_tui.tui.screens.status_lists import SignaturesScreen
from tests.tui.helpers import running, screen_text, settle

SIZE = (80, 24)


def hashes_hold(archive: zipfile.ZipFile, folder: str) -> int:
    lines = archive.read(f"{folder}SHA256SUMS").decode().splitlines()
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(folder + name)).hexdigest() == digest
    return len(lines)


async def type_path(pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = pilot.app.screen
    assert isinstance(dialog, TextDialog), screen_text(pilot.app)
    dialog.query_one(Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def test_proof_saved_filed_on_the_party_and_bundled(tmp_path: Path) -> None:
    ctx = seed_demo(tmp_path / "demo")
    signed = [
        s for s in ctx.repos.signatures.all() if s.status is SignatureStatus.SIGNED and s.signed_pdf_path
    ]
    first = signed[0]
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6", "slash", *first.title, "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen), screen_text(app)
        await pilot.press("a", "p")
        await settle(pilot)
        assert isinstance(app.screen, ActionMenu) and "Classer chez" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        target = tmp_path / "preuve.zip"
        await type_path(pilot, target)
        with zipfile.ZipFile(target) as archive:
            assert hashes_hold(archive, "") == 3
        assert "Dossier de preuve enregistré" in str([n.message for n in app._notifications])

        await pilot.press("a", "p", "1")  # filed on the file's first party
        await settle(pilot)
        [document] = [d for p in {s.party_id for s in first.signers if s.party_id}
                      for d in ctx.repos.party_documents.for_party(p, 10)]  # fmt: skip
        entries = history.of_party(ctx, document.party_id).entries
        assert any(e.kind == "document" and e.title.startswith("Dossier de preuve") for e in entries)

        await pilot.press("escape", "escape", "t")  # the list, unfiltered, then the status filter
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*"Signé", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignaturesScreen)
        await pilot.press("ctrl+a", "a", "p")
        await settle(pilot)
        bundle = tmp_path / "immeubles.zip"
        await type_path(pilot, bundle)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen) and progress.report is not None
        assert progress.report.total == len(
            [s for s in ctx.repos.signatures.all() if s.status is SignatureStatus.SIGNED]
        )
        assert progress.report.succeeded == len(signed) and progress.report.succeeded >= 3
        with zipfile.ZipFile(bundle) as archive:
            index = list(
                csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";")
            )
            assert len(index) == 1 + len(signed)
            for row in index[1:]:
                assert row[1] and hashes_hold(archive, row[6]) == 3
        await pilot.press("enter")
        await settle(pilot)
        assert running(app)
