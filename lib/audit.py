"""The safety audit log: one JSON line per refusal, in the data folder, for the teacher to read.

Each line holds the time (UTC), the student's browser id, the stage that refused, a reason
category and the prompt. Keys never land here: every known secret and anything shaped like an
API key is replaced by ``[hidden]`` before writing.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

AUDIT_FILE = "safety_audit.jsonl"
_KEY_SHAPES = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|[A-Fa-f0-9]{32,})\b")
_LOCK = threading.Lock()


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with secrets and key-shaped strings hidden."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[hidden]")
    return _KEY_SHAPES.sub("[hidden]", text)


def record(
    data_dir: str | Path,
    *,
    owner: str,
    stage: str,
    category: str,
    prompt: str = "",
    detail: str = "",
    secrets: Iterable[str] = (),
    severity: str = "info",
) -> None:
    """Append one refusal. Never raises: a full disk must not turn a refusal into a crash.

    ``severity`` is "urgent" when a child may be at risk (self-harm), so the teacher sees it first.
    """
    secrets = tuple(secrets)
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "owner": owner,
        "stage": stage,
        "category": category,
        "prompt": scrub(prompt, secrets),
        "detail": scrub(detail, secrets),
        "severity": severity,
    }
    path = Path(data_dir) / AUDIT_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK, path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        log.exception("could not write the safety audit log at %s", path)


def read_last(data_dir: str | Path, n: int = 50) -> list[dict[str, Any]]:
    """The last ``n`` refusals, oldest first; damaged lines are skipped."""
    path = Path(data_dir) / AUDIT_FILE
    try:
        with path.open(encoding="utf-8") as handle:
            lines = deque(handle, maxlen=max(n, 0))
    except FileNotFoundError:
        return []
    out: list[dict[str, Any]] = []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out
