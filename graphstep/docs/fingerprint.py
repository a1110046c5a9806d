"""The digest of graphstep's own files that keys the documentation's picture cache."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__all__ = ["code_fingerprint"]


@functools.cache
def code_fingerprint() -> str:
    """A digest of graphstep's own files, part of every figure's cache key.

    A documentation build reuses the pictures an earlier build made for the same
    request; with this digest in the key, any change to graphstep (a new notation, a
    new layout rule) redraws them instead of serving stale ones.

    Returns
    -------
    str
        16 hex digits, the same for the same installed graphstep.

    Examples
    --------
    >>> len(code_fingerprint()), code_fingerprint() == code_fingerprint()
    (16, True)
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js") and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
