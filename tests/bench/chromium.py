"""Debian's Chromium for the benchmarks, kept to 127.0.0.1."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"


def launch(playwright: Any) -> Any:
    """Debian's Chromium; it resolves no host but 127.0.0.1 (Playwright's routing, the
    other way to keep the internet out, would turn the HTTP cache off)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    )
