"""The embedded backend: sharded TinyDB files under one folder, the zero-setup default (`--data DIR`)."""

from lsc_tui.store.embedded.store import EmbeddedStore

__all__ = ["EmbeddedStore"]
