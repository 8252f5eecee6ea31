"""The Compare page in AppTest: randomness measured on the offline engine, honesty on hosted engines."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lib.compare import ColumnResult
from lib.rules import TeacherRules
from tests.fake_openai import TEST_OPENAI_KEY, FakeOpenAI
from tests.helpers import pictures_in, save_rules_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SEED = 1234


def open_compare() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/compare.py")
    return at.run()


def pixels(png: bytes) -> bytes:
    """The picture itself (the PNG's text chunk records each image's place in the batch)."""
    with Image.open(io.BytesIO(png)) as img:
        return img.convert("RGB").tobytes()


def results(at: AppTest, key: str = "compare_results") -> list[ColumnResult]:
    """The page's results with their pictures read back from the gallery (the session keeps ids)."""
    kept: list[ColumnResult] = at.session_state[key]
    assert all(r.images == [] for r in kept), "the session must hold ids, not pictures"
    store, owner = pictures_in(os.environ["STUDIO_DATA_DIR"]), at.session_state["studio_owner"]
    return [replace(r, images=[store.load(owner, image_id) for image_id in r.ids]) for r in kept]


def test_randomness_0_gives_identical_pictures_and_1_gives_different_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    at = open_compare()
    assert not at.exception
    assert at.radio(key="compare_axis").value == "temperature"

    at.number_input(key="compare_n").set_value(4)
    at.number_input(key="compare_seed").set_value(SEED)
    at.slider(key="compare_t_2_0").set_value(0.0)
    at.slider(key="compare_t_2_1").set_value(1.0)
    at.button(key="compare_run").click().run()

    assert not at.exception
    calm, wild = results(at)
    assert calm.error is None and wild.error is None
    assert len(calm.images) == len(wild.images) == 4
    # Randomness 0: every picture starts from the same draw, so they are the same picture...
    assert len({pixels(img.png) for img in calm.images}) == 1
    assert calm.score == pytest.approx(1.0)
    # ...and randomness 1 gives pictures of their own, which the measure sees.
    assert len({pixels(img.png) for img in wild.images}) > 1
    assert wild.score is not None and wild.score < calm.score
    # Both columns used the seed in the box, and the page shows the scores and the seed.
    assert calm.seed == wild.seed == SEED
    metrics = [m.value for m in at.metric]
    assert metrics == [f"{calm.score:.2f}", f"{wild.score:.2f}"]
    assert any(c.value == f"Seed {SEED}" for c in at.caption)
    assert any("How alike" in c.value for c in at.caption)


def test_use_this_seed_puts_a_columns_seed_in_the_seed_box(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    at = open_compare()
    at.number_input(key="compare_n").set_value(2)
    at.button(key="compare_run").click().run()  # seed box at 0: a new seed is drawn
    drawn = results(at)[1].seed
    assert drawn is not None and drawn > 0

    at.button(key="compare_col_1_seed").click().run()

    assert at.number_input(key="compare_seed").value == drawn
    at.button(key="compare_run").click().run()
    assert [r.seed for r in results(at)] == [drawn, drawn]


def test_the_sweep_makes_a_row_per_randomness_and_a_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    at = open_compare()
    at.number_input(key="compare_n").set_value(3)
    at.number_input(key="compare_seed").set_value(SEED)
    at.button(key="compare_sweep_run").click().run()

    assert not at.exception
    rows = results(at, "compare_sweep_results")
    assert [r.spec.temperature for r in rows] == [0.0, 0.25, 0.5, 0.75, 1.0]
    scores = [r.score for r in rows]
    assert all(s is not None for s in scores)
    assert scores[0] == pytest.approx(1.0) and scores[-1] < scores[0]  # type: ignore[operator]
    assert len(at.get("vega_lite_chart")) == 1


def test_hosted_engine_explains_there_is_no_temperature_and_compares_prompts(
    monkeypatch: pytest.MonkeyPatch, fake_openai: FakeOpenAI
) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", TEST_OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
    at = open_compare()

    assert not at.exception
    assert any("no temperature and no seed" in i.value for i in at.info)
    axes = at.radio(key="compare_axis").options
    assert "Randomness" not in axes and "Words (prompt A against prompt B)" in axes and "Quality" in axes
    assert not at.slider  # no randomness control at all
    assert any("no randomness setting to sweep" in c.value for c in at.caption)

    at.radio(key="compare_axis").set_value("prompt").run()
    at.text_area(key="compare_prompt_0").input("a red kite")
    at.text_area(key="compare_prompt_1").input("a blue kite")
    at.number_input(key="compare_n").set_value(2)
    at.button(key="compare_run").click().run()

    assert not at.exception
    red, blue = results(at)
    assert [len(red.images), len(blue.images)] == [2, 2]
    assert red.seed is None and blue.seed is None
    sent = [call.json["prompt"] for call in fake_openai.calls("images/generations")]
    assert len(sent) == 2 and any("a red kite" in p for p in sent) and any("a blue kite" in p for p in sent)


def test_pictures_per_column_follow_teacher_limit(monkeypatch: pytest.MonkeyPatch, isolated_settings: Path) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    assert open_compare().number_input(key="compare_n").proto.max == 4  # the default rule

    save_rules_in(isolated_settings, TeacherRules().with_changes(max_images_per_request=6))

    assert open_compare().number_input(key="compare_n").proto.max == 6


def test_one_cause_is_said_once_and_a_blocked_column_leaves_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    at = open_compare()
    at.text_area(key="compare_prompt").input("   ")
    at.button(key="compare_run").click().run()

    assert not at.exception
    assert [w.value for w in at.warning] == ["Please type what you would like to see first: the prompt is empty."]
    assert not at.metric

    at.radio(key="compare_axis").set_value("prompt").run()
    at.text_area(key="compare_prompt_0").input("a kitten with a gun")
    at.text_area(key="compare_prompt_1").input("a kitten with a ball of wool")
    at.button(key="compare_run").click().run()

    blocked, wool = results(at)
    assert blocked.error is not None and blocked.images == []
    assert wool.error is None and len(wool.images) == 3
    assert len(at.warning) == 1 and at.warning[0].value == str(blocked.error)
    assert len(at.metric) == 1


def test_more_columns_spread_randomness_from_low_to_high(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_ENGINE", "storybook")
    at = open_compare()
    assert [s.value for s in at.slider] == [0.1, 0.9]

    at.number_input(key="compare_count").set_value(3).run()
    assert [s.value for s in at.slider] == [0.1, 0.5, 0.9]
    at.number_input(key="compare_count").set_value(4).run()
    assert [s.value for s in at.slider] == [0.1, 0.35, 0.65, 0.9]
