"""Optional student names, kept in the data folder beside the browser ids they belong to.

A name is typed by the student in the sidebar; the teacher sees it next to refusals in the
audit log. It is never written into pictures, sent to a provider or put in a URL.
"""

from __future__ import annotations

import json
import logging
import threading
import unicodedata
from pathlib import Path

from lib.files import atomic_write

log = logging.getLogger(__name__)

ROSTER_FILE = "student_names.json"
MAX_NAME = 40
_LOCK = threading.Lock()


def clean_name(name: str) -> str:
    """The name as stored: printable characters only, spaces collapsed, at most 40 characters."""
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "C")
    return " ".join(printable.split())[:MAX_NAME]


def names(data_dir: str | Path) -> dict[str, str]:
    """Browser id -> name, for every student who gave one (a damaged file reads as empty)."""
    path = Path(data_dir) / ROSTER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("student names: %s is unreadable (%s)", path, error)
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def set_name(data_dir: str | Path, owner: str, name: str) -> str:
    """Remember ``name`` for the browser ``owner`` (an empty name forgets it); returns what was kept."""
    kept = clean_name(name)
    with _LOCK:
        current = names(data_dir)
        if current.get(owner, "") == kept:
            return kept
        if kept:
            current[owner] = kept
        else:
            current.pop(owner, None)
        atomic_write(Path(data_dir) / ROSTER_FILE, json.dumps(current, ensure_ascii=False, indent=1).encode())
    return kept
