"""What a command writes to a terminal: ``sys.stderr`` made a pseudo-terminal of 80
columns while ``action`` runs, and the bytes that terminal received."""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import sys
import termios
from collections.abc import Callable

import pytest
from tqdm import tqdm


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> str:
    """Run ``action`` with stderr on a pseudo-terminal; what it wrote there."""
    # No monitor thread: a process forked later (mutation testing forks one per mutant)
    # would wait for ever on a lock the thread held.
    monkeypatch.setattr(tqdm, "monitor_interval", 0)
    leader, follower = os.openpty()
    # A terminal of 80 columns (a new pseudo-terminal has none).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with os.fdopen(follower, "w", encoding="utf-8") as terminal:
        with monkeypatch.context() as patched:
            patched.setattr(sys, "stderr", terminal)
            action()
        terminal.flush()
    # What the terminal received (a few hundred bytes, far less than its buffer); reading
    # past it fails once the other end is closed (EIO).
    shown = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(leader, 65536):
            shown += chunk
    os.close(leader)
    return shown.decode("utf-8")
