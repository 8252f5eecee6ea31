"""One Create rerun reads the settings once and the teacher's rules once (the composition root)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from lib.store.records import RulesStore
from lib.studio import Studio
from lib.ui import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_a_create_click_reads_settings_and_rules_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="create_prompt").input("a dog next to the Eiffel Tower")

    # Counted per thread: the script run is one thread; AppTest itself calls a widget's
    # format_func from its own thread, which a real browser session never does.
    counts: Counter[tuple[str, int]] = Counter()
    real_settings, real_read = state.load_settings, RulesStore.read

    def counting_settings(*args: Any, **kwargs: Any) -> Any:
        counts["settings", threading.get_ident()] += 1
        return real_settings(*args, **kwargs)

    def counting_read(self: RulesStore) -> Any:
        counts["rules", threading.get_ident()] += 1
        return real_read(self)

    def made_a_picture(*args: Any, **kwargs: Any) -> Any:
        counts["generate", threading.get_ident()] += 1
        return real_generate(*args, **kwargs)

    monkeypatch.setattr(state, "load_settings", counting_settings)
    monkeypatch.setattr(RulesStore, "read", counting_read)
    real_generate = Studio.generate
    monkeypatch.setattr(Studio, "generate", made_a_picture)
    next(b for b in at.button if "Create" in b.label).click().run()

    assert not at.exception
    assert len(at.session_state["create_results"]) == 1  # a picture was really made in this rerun
    [(_, script_thread)] = [key for key in counts if key[0] == "generate"]
    assert counts["settings", script_thread] == 1 and counts["rules", script_thread] == 1
