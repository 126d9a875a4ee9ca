"""lsc-tui: e-signatures and AR24 registered letters, keyboard first, for French property managers."""

__version__ = "0.1.0"
