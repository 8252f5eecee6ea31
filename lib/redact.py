"""One way to keep keys out of text: every message, log line, audit record and PNG goes through it."""

from __future__ import annotations

import re
from collections.abc import Iterable

HIDDEN = "[hidden]"
#: OpenAI keys (``sk-...``, ``sk-proj-...``), Azure keys (32 hex or more), bearer tokens, and
#: passwords inside URLs (``postgresql://user:PASSWORD@host``).
KEY_SHAPES = re.compile(
    r"\bsk-[A-Za-z0-9_-]{8,}|\b[0-9A-Fa-f]{32,}\b|\bBearer\s+\S{16,}|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)",
    re.IGNORECASE,
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret and anything shaped like a key replaced by ``[hidden]``."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return KEY_SHAPES.sub(HIDDEN, text)
