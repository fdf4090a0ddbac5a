"""SHA-256 hex digests for the readings cache, without loading OpenSSL for short inputs.

A cached load (the reader's start-up path) hashes a report's text and two short
strings; ``import hashlib`` loads OpenSSL first, 5 to 20 ms, more than the
hashing. CPython's own SHA-256 module loads in a fraction of that but hashes
large inputs several times slower, so inputs of ``_BUILTIN_MAX`` bytes or more
(a library's combined text) go to ``hashlib``. Both give the same digest.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

#: Above this many bytes OpenSSL's faster hashing repays its load.
_BUILTIN_MAX = 2_000_000


def _builtin() -> Callable[[bytes], Any] | None:
    for name in ("_sha256", "_sha2"):  # CPython 3.11; 3.12 and later
        try:
            module = __import__(name)
        except ImportError:
            continue
        return getattr(module, "sha256", None)
    return None  # pragma: no cover - another Python: hashlib below


_SHA256 = _builtin()


def sha256_hex(data: bytes) -> str:
    """``hashlib.sha256(data).hexdigest()``."""
    if _SHA256 is None or len(data) >= _BUILTIN_MAX or "hashlib" in sys.modules:
        import hashlib

        return hashlib.sha256(data).hexdigest()
    return _SHA256(data).hexdigest()
