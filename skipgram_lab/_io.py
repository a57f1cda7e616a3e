"""Writing files safely: to a temporary name beside the target, renamed only on success.

An interrupted save or download therefore never leaves half a file under the
real name (and never destroys the previous good one).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def temporary_beside(path):
    """Yield a temporary path in ``path``'s folder; it is removed unless the caller renamed it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_write(path, mode="wb"):
    """Open a file to write ``path``; it appears under that name only if the block succeeds."""
    with temporary_beside(path) as tmp:
        encoding = {} if "b" in mode else {"encoding": "utf-8"}
        with open(tmp, mode, **encoding) as f:
            yield f
        os.replace(tmp, path)
