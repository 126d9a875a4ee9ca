"""F9 — Validation OTP en fin de journée (L8): F9, six digits, Enter — nothing more (KEYS.md).

My letters waiting for validation, grouped by entity, all ticked; the first row ticks or unticks them all, an
entity's row its own; the count is shown; the focus is in the code field (digits only, spaces ignored).
Enter validates every ticked letter with ONE code in the progress screen (a result per letter). A code that
cannot be one is refused here, before any call; a wrong or expired one comes back as one sentence, and the
ticks and the list stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.letters import CONSENT_UNKNOWN_TO_AR24
from lsc_tui.domain.otp import InvalidOtp, parse_otp
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services import letter_validation, session
from lsc_tui.services.batches import BatchReport
from lsc_tui.services.letter_validation import PendingGroup, Started
from lsc_tui.services.listing import Row
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList

ALL = "*all"
GROUP = "*group:"


class OtpList(RecordList):
    """A tick list whose first row ticks every letter and whose entity rows tick their letters."""

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(columns, id=id)
        self.groups: dict[str, list[str]] = {}

    def letters(self) -> list[str]:
        return [k for k in self.ticked if not k.startswith("*")]

    def all_letters(self) -> list[str]:
        return [k for keys_ in self.groups.values() for k in keys_]

    def _sync(self) -> None:
        """Synthetic rows show ticked when all their letters are."""
        for group, members in self.groups.items():
            self._mark(GROUP + group, bool(members) and all(k in self.ticked for k in members))
        every = self.all_letters()
        self._mark(ALL, bool(every) and all(k in self.ticked for k in every))
        self.post_message(self.TicksChanged(self, len(self.letters())))
        self.refresh()

    def _mark(self, key: str, on: bool) -> None:
        if on:
            self.ticked[key] = None
        else:
            self.ticked.pop(key, None)

    def _set(self, members: list[str], on: bool) -> None:
        for k in members:
            self._mark(k, on)

    def action_toggle(self) -> None:
        key = self.current_key
        if key is None:
            return
        if key == ALL:
            self._set(self.all_letters(), ALL not in self.ticked)
        elif key.startswith(GROUP):
            self._set(self.groups.get(key[len(GROUP) :], []), key not in self.ticked)
        else:
            self._mark(key, key not in self.ticked)
            self.action_move(1)
        self._sync()

    def action_toggle_all(self) -> None:
        self._set(self.all_letters(), ALL not in self.ticked)
        self._sync()

    def tick_everything(self) -> None:
        self._set(self.all_letters(), True)
        self._sync()


def rows_for(groups: list[PendingGroup]) -> list[Row]:
    total = sum(len(g.letters) for g in groups)
    rows = [Row(ALL, (f"Toutes mes lettres en attente ({total})", "", "", ""))]
    for g in groups:
        rows.append(
            Row(GROUP + g.entity_id, (f"{g.entity_name} ({len(g.letters)})", "", "", ""), "", "group")
        )
        for x in g.letters:
            cut = x.status is LetterStatus.SENDING
            kind = "à vérifier" if cut else x.kind.label
            held = x.id in g.held_back
            about = CONSENT_UNKNOWN_TO_AR24 if held else x.subject
            rows.append(
                Row(
                    x.id,
                    (f"  {x.recipient_name}", kind, x.chrono, about),
                    "",
                    "warning" if cut or held else "",
                )
            )
    return rows


def held_back(groups: list[PendingGroup]) -> set[str]:
    return {k for g in groups for k in g.held_back}


class OtpScreen(BaseScreen):
    TITLE_FR = "Validation OTP"
    WATCHES = session.LETTERS
    BINDINGS = keys.bindings(keys.OTP)
    DEFAULT_CSS = """
    OtpScreen #otp-bar { height: 3; padding: 0 1; }
    OtpScreen #otp-bar Label { padding: 1 1 0 0; }
    OtpScreen #otp { width: 16; }
    OtpScreen #otp-count { padding: 1 0 0 2; width: 1fr; }
    OtpScreen #otp-message { height: auto; padding: 0 1; color: $error; }
    OtpScreen #otp-message.ok { color: $success; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[PendingGroup] = []
        self.loaded = False
        self.running = False

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            with Horizontal(id="otp-bar"):
                yield Label("Code OTP :")
                yield Input(placeholder="6 chiffres", id="otp", restrict=r"[0-9 ]*", max_length=9)
                yield Static("", id="otp-count", markup=False)
            yield Static("", id="otp-message", markup=False)
            yield OtpList(
                (Column("Destinataire", 5, 20), Column("Type", 2, 12, drop=1), Column("Chrono", 0, 11, drop=2),
                 Column("Objet", 5, 12)),
                id="otp-list",
            )  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#otp", Input).focus()

    @property
    def otp_list(self) -> OtpList:
        return self.query_one(OtpList)

    def reload(self) -> None:
        if not self.running:
            self.call_service(
                letter_validation.pending_groups, self.ctx, on_result=self._loaded, group="otp-load"
            )

    def _loaded(self, groups: list[PendingGroup]) -> None:
        """Every letter ticked on arrival; after a reload only what was unticked by hand stays unticked."""
        first = not self.loaded
        lst = self.otp_list
        before = set(lst.all_letters()) if not first else set()
        unticked = before - set(lst.letters())
        self.groups = groups
        lst.groups = {g.entity_id: [x.id for x in g.letters] for g in groups}
        lst.set_rows(rows_for(groups))
        held = held_back(groups)
        if first:
            unticked = held  # AR24 would refuse them: they wait, unticked, with the reason on their line
        lst.ticked.clear()
        lst._set([k for k in lst.all_letters() if k not in unticked], True)
        lst._sync()
        self.loaded = True
        self._count()
        if first and held:
            self._say(
                f"{len(held)} lettre(s) non cochée(s) — {CONSENT_UNKNOWN_TO_AR24[:1].upper()}"
                f"{CONSENT_UNKNOWN_TO_AR24[1:]}."
            )

    @on(RecordList.TicksChanged)
    def _ticks(self) -> None:
        self._count()

    def _count(self) -> None:
        total = len(self.otp_list.all_letters())
        ticked = len(self.otp_list.letters())
        text = f"{ticked} cochée(s) sur {total} lettre(s) en attente" if total else "Aucune lettre à valider."
        self.query_one("#otp-count", Static).update(text)

    def _say(self, text: str, ok: bool = False) -> None:
        message = self.query_one("#otp-message", Static)
        message.set_class(ok, "ok")
        message.update(text)

    # ---- validating -----------------------------------------------------------------------------------

    @on(Input.Submitted, "#otp")
    def _submitted(self) -> None:
        self.action_validate()

    @on(RecordList.Opened)
    def _opened(self) -> None:
        self.action_validate()

    def action_validate(self) -> None:
        if self.running:
            return
        box = self.query_one("#otp", Input)
        ids = self.otp_list.letters()
        if not ids:
            self._say("Aucune lettre cochée : cochez les lettres à valider (Espace), puis saisissez le code.")
            return
        try:
            code = parse_otp(box.value)
        except InvalidOtp as exc:
            self._say(str(exc))
            box.focus()
            return
        self._say("Vérification du code auprès d'AR24…", ok=True)
        self.running = True
        self.call_service(
            letter_validation.start, self.ctx, ids, code, on_result=self._started, on_error=self._refused,
            group="otp-start",
        )  # fmt: skip

    def _refused(self, error: ExplainedError) -> None:
        """A wrong or expired code (or AR24 unreachable): one sentence, nothing changed, ticks kept."""
        self.running = False
        self._say(error.message)
        box = self.query_one("#otp", Input)
        box.value = ""
        box.focus()

    def _started(self, started: Started) -> None:
        self._say("")
        title = f"Validation OTP de {len(started.letters) + len(started.refused)} lettre(s)"
        screen = BatchProgressScreen(title, letter_validation.run, self.ctx, started, noun="lettre")
        self.app.push_screen(screen, self._done)

    def _done(self, report: BatchReport | None) -> None:
        self.running = False
        box = self.query_one("#otp", Input)
        box.value = ""
        box.focus()
        if report is None or report.total == 0:
            self._say("Validation interrompue : voyez le message ; les lettres non validées restent ici.")
        elif report.failed:
            self._say(report.summary("lettre") + ". Les lettres non validées restent cochées : relancez.")
        else:
            self._say(report.summary("lettre") + ".", ok=True)
        self.reload()

    def action_focus_code(self) -> None:
        self.query_one("#otp", Input).focus()
