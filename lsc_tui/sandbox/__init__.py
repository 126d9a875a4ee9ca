"""Fake YouSign, ESign and AR24 written from the specs in docs/providers, independent of our clients.

It imports nothing else of lsc_tui, so a client test against it can fail when the client is wrong.
"""
