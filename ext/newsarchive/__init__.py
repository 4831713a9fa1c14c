"""The Weekly Kaggle News archive: link cards, issue pages and indexes for Sphinx."""

from __future__ import annotations

__version__ = "0.1.0"
