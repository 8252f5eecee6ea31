"""Create: a picture from words, with the monuments assignment helper."""

from __future__ import annotations

import streamlit as st

from lib import assignment
from lib.ui import handin, handoff, i18n, recent, state
from lib.ui.controls import count_input, engine_label, engine_status, model_choice, quality_labels, size_labels
from lib.ui.i18n import _, say
from lib.ui.notes import show_explanations
from lib.ui.source import remember
from lib.ui.widgets import image_grid, run_with_progress

state.ensure_frame(__file__)

RESULTS_KEY = "create_results"
PROMPT_KEY = "create_prompt"


def _write_assignment_prompt() -> None:
    """The chosen monument, context, time and style as one sentence in the student's language."""
    language = i18n.base_language()
    words = assignment.choices(language)
    st.session_state[PROMPT_KEY] = assignment.build_prompt(
        words.monuments[st.session_state["create_monument"]],
        words.contexts[st.session_state["create_context"]],
        words.times_of_day[st.session_state["create_time"]],
        words.styles[st.session_state["create_style"]],
        language=language,
    )


def _pick(container: st.delta_generator.DeltaGenerator, label: str, phrases: tuple[str, ...], key: str) -> None:
    """A choice of the assignment kept by its place in the list, so it survives a change of language."""
    container.selectbox(label, range(len(phrases)), format_func=phrases.__getitem__, key=key)


st.title("🖌️ " + _("Create a picture"))
st.caption(_("Describe the picture you want in your own words, then press **Create**."))

engine = state.engine()
status = engine_status(engine)

with st.expander("🏛️ " + _("Assignment helper: a monument in a surprising place")):
    handin.open_assignments()
    c1, c2 = st.columns(2)
    phrases = assignment.choices(i18n.base_language())
    _pick(c1, _("Monument"), phrases.monuments, "create_monument")
    _pick(c2, _("Where or with what"), phrases.contexts, "create_context")
    _pick(c1, _("Time of day"), phrases.times_of_day, "create_time")
    _pick(c2, _("Style"), phrases.styles, "create_style")
    st.button(
        "✍️ " + _("Write my prompt"), on_click=_write_assignment_prompt, help=_("You can change the words afterwards.")
    )

KEYS = handoff.CreateKeys(
    prompt=PROMPT_KEY, model=f"create_model_{engine.name}", seed="create_seed", temperature="create_temperature",
    size=lambda m: f"create_size_{engine.name}_{m}", quality=lambda m: f"create_quality_{engine.name}_{m}",
)  # fmt: skip
incoming = handoff.take(handoff.CreateSettings)  # "use these settings again" on the Gallery
if incoming is not None:
    st.session_state.update(handoff.widget_values(incoming, engine, KEYS))
# After a reload: the last pictures made here, and their words (before the words' box is drawn).
recent.bring_back(RESULTS_KEY, "create", prompt_key=PROMPT_KEY)
remember(PROMPT_KEY)  # the words survive a visit to another page
prompt = st.text_area(
    _("Describe your picture"),
    key=PROMPT_KEY,
    placeholder=_("Dog next to Eiffel Tower in early morning sunlight"),
    height=100,
)

c1, c2, c3, c4 = st.columns(4)
model = model_choice(engine, KEYS.model, c1)
if model is None:
    st.stop()
caps = engine.capabilities(model)
size = c2.selectbox(
    _("Size"),
    caps.sizes,
    index=caps.sizes.index(caps.default_size) if caps.default_size in caps.sizes else 0,
    format_func=size_labels(caps),
    key=KEYS.size(model),
)
n = count_input(_("How many pictures"), caps, key=f"create_n_{engine.name}_{model}", container=c3)
quality = c4.selectbox(_("Quality"), caps.qualities, format_func=quality_labels(), key=KEYS.quality(model))
style = st.radio(_("Style"), caps.styles, horizontal=True, key="create_model_style") if caps.styles else None

seed: int | None = None
temperature: float | None = None
if caps.has_seed:
    c1, c2 = st.columns(2)
    seed_value = c1.number_input(
        _("Seed (0 = surprise me)"),
        0,
        2**31 - 1,
        0,
        key=KEYS.seed,
        help=_("The same seed and words make the same picture again."),
    )
    seed = int(seed_value) or None
    temperature = c2.slider(
        _("Randomness"),
        0.0,
        1.0,
        0.7,
        0.05,
        key=KEYS.temperature,
        help=_("0: every picture in the batch starts from the same random draw. 1: each starts from its own."),
    )
elif not caps.notes:
    st.caption(
        _("{engine} has no seed and no randomness setting: every picture is a new surprise.").format(
            engine=engine_label(engine)
        )
    )
for note in caps.notes:
    st.caption(f"ℹ️ {say(note)}")

failed = False
if st.button("✨ " + _("Create"), type="primary", disabled=not status.configured):
    result = run_with_progress(
        _("Making your pictures…"),
        lambda progress: state.studio().generate(
            prompt=prompt,
            engine=engine.name,
            model=model,
            size=size,
            n=int(n),
            quality=quality,
            style=style,
            seed=seed,
            temperature=temperature,
            owner=state.owner_id(),
            page="create",
            progress=progress,
        ),
    )
    if result is not None:
        state.keep_results(RESULTS_KEY, result)
    failed = result is None

images = state.results(RESULTS_KEY)
if images:
    if failed:  # the message above is about this click; what follows was made before it
        st.caption("🕘 " + _("Your pictures from before (they are in your gallery too):"))
    show_explanations(images)
    image_grid(images, key="create_result")
