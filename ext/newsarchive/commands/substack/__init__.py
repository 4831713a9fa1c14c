"""Substack: the export (``import-substack``) and the feed (``import-feed``) into issue pages.

``body`` reads a post's HTML into the content model of ``newsarchive.commands.pipeline``;
the pages are written by the same emitter and with the same guarantees as the Revue import.
"""
