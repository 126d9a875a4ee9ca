"""Textual's stylesheet, parsed once per set of CSS variables.

Textual refreshes all CSS when a mode's screen is first shown (`App._init_mode` → `refresh_css`). It sets the
variables again, which clears the parse cache even when they did not change, then re-parses every source in a
new stylesheet and drops that sheet's cache with it; the next widget type mounted parses everything a third
time. Our start tokenised 5,200 tokens where a minimal Textual app tokenises 900, and each F-key's first visit
paid it again. Here the cache survives unchanged variables and is shared with the sheet `reparse` builds: each
source is parsed once per set of variables, and the refresh still re-applies every style as Textual does.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet


class SteadyStylesheet(Stylesheet):
    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)  # a new theme: every source is parsed again

    def reparse(self) -> None:
        """Textual's `Stylesheet.reparse` (textual 8.2, pinned), its fresh sheet starting from this one's parse cache."""
        stylesheet = SteadyStylesheet(variables=self._variables)
        stylesheet._parse_cache = self._parse_cache
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(
                css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope
            )
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        self._rules = stylesheet.rules
        self._rules_map = None
        self.source = stylesheet.source
        self._require_parse = False
