"""Plain data and rules of the trade: no I/O, no Textual, no HTTP, no store."""
