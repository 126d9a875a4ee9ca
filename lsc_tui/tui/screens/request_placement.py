"""Per-signer placements on a fiche signature (S4, S8): the template's placement tool on the file's own PDF.

The tool is the one of the template form (T6, screens/placement.py): same keys, same grid; here the pages are
those of the PDF the signers will see, and the other boxes drawn grey are the other signers'. Entrée answers
the moved box; the fiche saves it with the revision it read.
"""

from __future__ import annotations

from textual.events import Mount

from lsc_tui.domain.models import Placement, SignatureRequest, Template
from lsc_tui.services import signature_files
from lsc_tui.tui.screens.placement import PlacementScreen


class RequestPlacementScreen(PlacementScreen):
    TITLE_FR = "Emplacement du signataire"

    def __init__(self, request: SignatureRequest, signer: int, box: Placement) -> None:
        others = [p for n, s in enumerate(request.signers) for p in s.placements if n != signer]
        super().__init__(Template(name=request.title, placements=(*others, box)), len(others))
        self.request = request

    def on_mount(self, event: Mount) -> None:
        event.prevent_default()  # the template form's tool would render the template instead
        self.sub_title = self.TITLE_FR
        self.query_one("#preview").border_title = self.placement.role.label
        self.call_service(
            signature_files.pdf_pages,
            self.ctx,
            self.request.id,
            on_result=lambda pages: self._pages_loaded(list(pages)),
            on_error=self._load_failed,
        )
