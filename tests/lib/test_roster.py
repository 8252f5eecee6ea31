from __future__ import annotations

from pathlib import Path

from lib import roster


def test_names_are_kept_per_browser_and_forgotten_when_emptied(tmp_path: Path) -> None:
    assert roster.names(tmp_path) == {}
    roster.set_name(tmp_path, "browser-aaaa1111", "  Ada   Lovelace ")
    roster.set_name(tmp_path, "browser-bbbb2222", "Alan")
    assert roster.names(tmp_path) == {"browser-aaaa1111": "Ada Lovelace", "browser-bbbb2222": "Alan"}
    roster.set_name(tmp_path, "browser-bbbb2222", "   ")
    assert roster.names(tmp_path) == {"browser-aaaa1111": "Ada Lovelace"}


def test_names_are_cleaned_and_capped(tmp_path: Path) -> None:
    kept = roster.set_name(tmp_path, "browser-aaaa1111", "Zoë\x00\u202e<b>" + "x" * 100)
    assert kept.startswith("Zoë<b>") and len(kept) == roster.MAX_NAME
    assert "\x00" not in kept and "\u202e" not in kept


def test_a_damaged_file_reads_as_empty(tmp_path: Path) -> None:
    (tmp_path / roster.ROSTER_FILE).write_text("{not json")
    assert roster.names(tmp_path) == {}
    roster.set_name(tmp_path, "browser-aaaa1111", "Ada")
    assert roster.names(tmp_path) == {"browser-aaaa1111": "Ada"}
