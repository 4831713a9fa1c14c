"""What a command writes to a terminal: ``sys.stderr`` made a pseudo-terminal of 80
columns while ``action`` runs, and the bytes that terminal received."""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import sys
import termios
import threading
from collections.abc import Callable

import pytest
from tqdm import tqdm


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> str:
    """Run ``action`` with stderr on a pseudo-terminal; what it wrote there."""
    # Locks of this process only, and no monitor thread: tqdm's default lock is a
    # semaphore that processes forked later share (mutation testing forks one per mutant),
    # and one that ended holding it would leave the others waiting for ever.
    monkeypatch.setattr(tqdm, "monitor_interval", 0)
    monkeypatch.setattr(tqdm, "_lock", threading.RLock(), raising=False)
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
