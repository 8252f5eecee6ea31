"""Compare: the same request with one setting changed, side by side, and how alike the pictures are."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lib import compare, similarity
from lib.compare import ColumnResult
from lib.ui import i18n, state
from lib.ui.controls import engine_label, engine_status, model_choice, most_pictures, quality_labels
from lib.ui.i18n import N_, _, say
from lib.ui.notes import show_explanations_for
from lib.ui.text import md
from lib.ui.widgets import likeness_chart, run_with_progress, show_error

state.ensure_frame(__file__)

RESULTS_KEY = "compare_results"
SWEEP_KEY = "compare_sweep_results"
SEED_KEY = "compare_seed"
AXIS_KEY = "compare_axis"
DEFAULT_PROMPTS = (N_("Dog next to Eiffel Tower in early morning sunlight"), N_("Dog next to Eiffel Tower at night"))


def _use_seed(seed: int) -> None:
    st.session_state[SEED_KEY] = seed


def _show_column(result: ColumnResult, key: str) -> None:
    with st.container(border=True):  # a frame per column: its pictures stay together when they wrap
        _column_body(result, key)


def _column_body(result: ColumnResult, key: str) -> None:
    st.markdown(f"**{md(say(result.spec.label))}**")
    if result.error is not None:
        show_error(result.error)
        return
    show_explanations_for(result.ids)
    if result.score is not None:
        st.metric(_("How alike"), f"{result.score:.2f}", help=_(similarity.EXPLANATION))
    if result.seed is not None:
        st.caption(_("Seed {seed}").format(seed=result.seed))
        st.button("🌱 " + _("Use this seed"), key=f"{key}_seed", on_click=_use_seed, args=(result.seed,))
    cells = st.columns(2)  # two pictures a row keeps a column of six on one screen
    for i, image_id in enumerate(result.ids):
        words = _("Picture {n} of column {column}").format(n=i + 1, column=say(result.spec.label))
        cells[i % 2].image(state.history().read_png(state.owner_id(), image_id), width="stretch", alt=words)


def _column_value(col: DeltaGenerator, i: int) -> float | str:
    """The one setting of column ``i`` that differs from the others."""
    letter = "ABCD"[i]
    if axis == "temperature":  # 0.1 against 0.9, the columns in between evenly spaced
        start = round((0.1 + 0.8 * i / (count - 1)) * 20) / 20
        return col.slider(
            _("Randomness {letter}").format(letter=letter), 0.0, 1.0, start, 0.05, key=f"compare_t_{count}_{i}"
        )
    if axis == "prompt":
        return col.text_area(
            _("Prompt {letter}").format(letter=letter), _(DEFAULT_PROMPTS[i % 2]), key=f"compare_prompt_{i}"
        )
    if axis == "quality":
        options, key = caps.qualities, f"compare_quality_{engine.name}_{model}_{i}"
        label = _("Quality {letter}").format(letter=letter)
        return col.selectbox(label, options, index=i % len(options), format_func=quality_labels(), key=key)
    if axis == "model":
        return col.selectbox(
            _("Model {letter}").format(letter=letter),
            models,
            index=i % len(models),
            key=f"compare_models_{engine.name}_{i}",
        )
    return i


def _said_once(results: list[ColumnResult]) -> bool:
    """When every column failed for the same reason, say it once instead of in every column."""
    errors = [r.error for r in results if r.error is not None]
    if len(errors) == len(results) and len({str(e) for e in errors}) == 1:
        show_error(errors[0])
        return True
    return False


st.title("⚖️ " + _("Compare"))
st.caption(_("Make pictures side by side with one thing changed, all at once, and measure how alike they are."))

engine = state.engine()
status = engine_status(engine)

models = engine.models()
c1, c2, c3, c4 = st.columns(4)
model = model_choice(engine, f"compare_model_{engine.name}", c1)
if model is None:
    st.stop()
caps = engine.capabilities(model)
first = caps.sizes.index(caps.default_size) if caps.default_size in caps.sizes else 0  # 512 px, like Create
size = c2.selectbox(_("Size"), caps.sizes, index=first, key=f"compare_size_{engine.name}_{model}")
most = max(compare.MIN_IMAGES, min(compare.MAX_IMAGES, most_pictures(caps)))
n = int(c3.number_input(_("Pictures per column"), compare.MIN_IMAGES, most, min(3, most), key="compare_n"))
count = int(c4.number_input(_("Columns"), compare.MIN_COLUMNS, compare.MAX_COLUMNS, 2, key="compare_count"))

if not caps.has_seed:
    st.info(
        _(
            "**{engine} has no temperature and no seed.** The Images API does not take them, whatever the "
            "lesson says: every call is a fresh surprise. Compare what is real here: the same request again, "
            "prompt A against prompt B, or quality A against quality B."
        ).format(engine=engine_label(engine)),
        icon="🎲",
    )
axes = compare.applicable_axes(engine, model)
if st.session_state.get(AXIS_KEY) not in axes:
    st.session_state.pop(AXIS_KEY, None)
said = i18n.translator()  # the axes' names in the language the page is drawn in
axis = st.radio(
    _("What changes between the columns?"),
    axes,
    format_func=lambda axis: said(compare.AXIS_LABELS[axis]),
    horizontal=True,
    key=AXIS_KEY,
)

prompt = (
    "" if axis == "prompt" else st.text_area(_("Describe your picture"), _(DEFAULT_PROMPTS[0]), key="compare_prompt")
)
seed: int | None = None
temperature: float | None = None
if caps.has_seed:
    s1, s2 = st.columns(2)
    seed = int(s1.number_input(_("Seed (0 = a new one each time)"), 0, compare.MAX_SEED, 0, key=SEED_KEY)) or None
    if axis != "temperature":
        temperature = s2.slider(_("Randomness in every column"), 0.0, 1.0, 0.7, 0.05, key="compare_temperature")

values = [_column_value(col, i) for i, col in enumerate(st.columns(count))]

if st.button("⚖️ " + _("Compare"), type="primary", disabled=not status.configured, key="compare_run"):
    ran = run_with_progress(_("Making every column at once…"), lambda progress: compare.run_columns(
        state.studio(),
        compare.build_columns(axis, values, engine=engine, prompt=prompt, model=model, size=size,
                              quality=caps.qualities[0], temperature=temperature, seed=seed),
        engine=engine.name, n=n, owner=state.owner_id(), progress=progress,
    ))  # fmt: skip
    if ran is not None:
        st.session_state[RESULTS_KEY] = compare.without_pictures(ran)

results: list[ColumnResult] = st.session_state.get(RESULTS_KEY, [])
if results:
    if not _said_once(results):
        for i, (col, result) in enumerate(zip(st.columns(len(results)), results, strict=True)):
            with col:
                _show_column(result, key=f"compare_col_{i}")
    st.caption(f"📏 **{_('How alike')}:** {_(similarity.EXPLANATION)}")

st.divider()
st.subheader("🎚️ " + _("Sweep: randomness from 0 to 1"))
if not caps.has_seed:
    st.caption(
        _("{engine} has no randomness setting to sweep. The offline storybook engine has one.").format(
            engine=engine_label(engine)
        )
    )
else:
    st.caption(
        _(
            "The same words and the same seed, with randomness 0, 0.25, 0.5, 0.75 and 1: one row each. "
            "Watch the pictures grow more different as the randomness goes up."
        )
    )
    if st.button("🎚️ " + _("Run the sweep"), disabled=not status.configured, key="compare_sweep_run"):
        swept = run_with_progress(_("Making every row at once…"), lambda progress: compare.sweep(
            state.studio(), engine=engine.name, prompt=prompt or str(values[0]), model=model, size=size,
            n=n, seed=seed, owner=state.owner_id(), progress=progress,
        ))  # fmt: skip
        if swept is not None:
            st.session_state[SWEEP_KEY] = compare.without_pictures(swept)
    rows: list[ColumnResult] = st.session_state.get(SWEEP_KEY, [])
    if rows and not _said_once(rows):
        likeness_chart(
            compare.chart_data(rows), x="Randomness", y="How alike (1 = identical)",
            titles=(_("Randomness"), _("How alike (1 = identical)")),
        )  # fmt: skip
        st.caption(f"📏 **{_('How alike')}:** {_(similarity.EXPLANATION)}")
        for row in rows:
            cells = st.columns(max(len(row.ids), 1) + 1)
            score = "—" if row.score is None else f"{row.score:.2f}"
            facts = _("how alike: {score}").format(score=score) + "  \n" + _("seed {seed}").format(seed=row.seed)
            cells[0].markdown(f"**{md(say(row.spec.label))}**  \n{facts}")
            if row.error is not None:
                with cells[1]:
                    show_error(row.error)
            for cell, image_id in zip(cells[1:], row.ids, strict=False):
                cell.image(state.history().read_png(state.owner_id(), image_id), width="stretch",
                           alt=_("Picture at {column}").format(column=say(row.spec.label)))  # fmt: skip
