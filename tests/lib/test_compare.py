"""lib.compare without Streamlit: columns built from one varying setting, run at once, measured."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from lib import compare
from lib.engines import get_engine
from lib.errors import BadInput
from lib.studio import Studio
from tests.fake_openai import FakeOpenAI

DALLE3 = "dall-e-3"  # one picture per call: a column of n pictures is n calls


def test_columns_run_side_by_side_and_progress_comes_from_the_caller_thread(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.3
    settings = fake_openai.settings()
    studio = Studio(settings)
    columns = compare.build_columns(
        "prompt",
        ["a red kite", "a blue kite"],
        engine=get_engine("openai", settings),
        prompt="",
        model=DALLE3,
        size="1024x1024",
    )
    seen: list[tuple[int, int, bool]] = []

    results = compare.run_columns(
        studio, columns, engine="openai", n=3,
        progress=lambda done, total: seen.append((done, total, threading.current_thread() is threading.main_thread())),
    )  # fmt: skip

    assert [r.error for r in results] == [None, None]
    assert [len(r.images) for r in results] == [3, 3]
    assert [r.images[0].prompt_typed for r in results] == ["a red kite", "a blue kite"]
    # Every call of both columns was in flight at the same moment.
    calls = fake_openai.calls("images/generations")
    assert len(calls) == 6
    assert max(c.started for c in calls) < min(c.finished for c in calls)
    # Progress counts pictures across columns, only ever from the caller's thread, and ends complete.
    assert all(on_main for _, _, on_main in seen)
    assert seen[-1][:2] == (6, 6)
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)
    # The fake server paints one colour per prompt: each column's pictures are identical.
    assert [r.score for r in results] == [pytest.approx(1.0), pytest.approx(1.0)]
    assert all(r.seed is None for r in results)  # the Images API has no seed


def test_an_error_in_one_column_leaves_the_other_columns(fake_openai: FakeOpenAI) -> None:
    settings = fake_openai.settings()
    columns = compare.build_columns(
        "prompt",
        ["a lighthouse", "a lighthouse " * 400],
        engine=get_engine("openai", settings),
        prompt="",
        model=DALLE3,
        size="1024x1024",
    )

    ok, too_long = compare.run_columns(Studio(settings), columns, engine="openai", n=2)

    assert ok.error is None and len(ok.images) == 2
    assert isinstance(too_long.error, BadInput) and "at most 4,000" in str(too_long.error)
    assert too_long.images == [] and too_long.score is None


def test_hosted_engines_offer_no_randomness_axis_and_no_sweep(fake_openai: FakeOpenAI) -> None:
    settings = fake_openai.settings()
    engine = get_engine("openai", settings)

    axes = compare.applicable_axes(engine, "gpt-image-2")

    assert "temperature" not in axes and {"prompt", "quality", "repeat"} <= set(axes)
    with pytest.raises(BadInput, match="no randomness"):
        compare.build_columns("temperature", [0.1, 0.9], engine=engine, prompt="x", model="gpt-image-2",
                              size="1024x1024")  # fmt: skip
    with pytest.raises(BadInput, match="nothing to sweep"):
        compare.sweep(Studio(settings), engine="openai", prompt="x", model="gpt-image-2", size="1024x1024", n=2)


def test_limits_on_columns_and_pictures(fake_openai: FakeOpenAI) -> None:
    settings = fake_openai.settings()
    engine = get_engine("openai", settings)
    with pytest.raises(BadInput, match="2 to 4 columns"):
        compare.build_columns("repeat", [0], engine=engine, prompt="x", model=DALLE3, size="1024x1024")
    columns = compare.build_columns("repeat", [0, 1], engine=engine, prompt="x", model=DALLE3, size="1024x1024")
    with pytest.raises(BadInput, match="2 to 6 pictures"):
        compare.run_columns(Studio(settings), columns, engine="openai", n=7)


def test_model_columns_fall_back_to_a_size_the_model_can_make(fake_openai: FakeOpenAI) -> None:
    engine = get_engine("openai", fake_openai.settings())

    a, b = compare.build_columns("model", ["gpt-image-2", DALLE3], engine=engine, prompt="x", model="gpt-image-2",
                                 size="1536x1024", quality="high")  # fmt: skip

    assert (a.model, a.size, a.quality) == ("gpt-image-2", "1536x1024", "high")
    assert (b.model, b.size, b.quality) == (DALLE3, "1024x1024", "auto")


def test_chart_data_leaves_out_failed_rows() -> None:
    spec = compare.ColumnSpec(label="t", prompt="p", model="m", size="s")
    rows = [
        compare.ColumnResult(spec=replace(spec, temperature=0.0), images=[], ids=[], score=1.0),
        compare.ColumnResult(spec=replace(spec, temperature=0.5), images=[], ids=[], score=None),
        compare.ColumnResult(spec=replace(spec, temperature=1.0), images=[], ids=[], score=0.4),
    ]
    assert compare.chart_data(rows) == {"Randomness": [0.0, 1.0], "How alike (1 = identical)": [1.0, 0.4]}


def test_a_picture_the_measure_cannot_read_leaves_the_pictures_without_a_score(fake_openai: FakeOpenAI) -> None:
    settings = fake_openai.settings()
    columns = compare.build_columns("repeat", [0, 1], engine=get_engine("openai", settings), prompt="a boat",
                                    model=DALLE3, size="1024x1024")  # fmt: skip

    def unreadable(_pngs: object) -> float:
        raise OSError("cannot identify image file")

    results = compare.run_columns(Studio(settings), columns, engine="openai", n=2, scorer=unreadable)

    assert [(len(r.images), r.score, r.error) for r in results] == [(2, None, None), (2, None, None)]


def test_every_column_label_can_be_said_again_in_another_language() -> None:
    # A run keeps its columns' labels in English in the pictures' metadata; the gallery finds each
    # one's template among COLUMN_LABELS to say it in the student's language.
    from lib import compare
    from lib.engines import get_engine
    from lib.settings import load_settings
    from lib.ui.i18n import _matcher

    engine = get_engine("storybook", load_settings(dotenv_path=None))
    labels = []
    for axis, values in (("temperature", [0.1, 0.9]), ("prompt", ["a cat", "a dog"]), ("quality", ["low", "high"]),
                         ("repeat", [1, 2])):  # fmt: skip
        columns = compare.build_columns(axis, values, engine=engine, prompt="a kite", model="storybook-1",
                                        size="256x256")  # fmt: skip
        labels += [column.label for column in columns]
    assert len(labels) == 8
    for label in labels:
        assert any(label.template == t and _matcher(t).match(str(label)) for t in compare.COLUMN_LABELS), label
