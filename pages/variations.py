"""Variations: new pictures in the spirit of one you already have."""

from __future__ import annotations

import streamlit as st

from lib import imaging
from lib.pictures import SOURCE
from lib.ui import recent, state
from lib.ui.controls import count_input, engine_label, engine_status, model_choice
from lib.ui.handoff import PictureToVary
from lib.ui.i18n import N_, _, say
from lib.ui.notes import show_explanations
from lib.ui.source import choose_source, remember
from lib.ui.text import md
from lib.ui.widgets import image_grid, run_with_progress

state.ensure_frame(__file__)

RESULTS_KEY = "vary_results"
#: Which picture the results belong to (they are shown only beside that picture).
RESULTS_SOURCE_KEY = "vary_results_source"
PROMPT_KEY = "vary_prompt"
DEFAULT_PROMPT = N_("The same picture drawn again, with small changes")

st.title("🔀 " + _("Variations"))
st.caption(_("Choose a picture and get new versions of it: the same idea, drawn differently."))

engine = state.engine()
status = engine_status(engine)
remember(f"vary_model_{engine.name}", PROMPT_KEY)
c1, c2 = st.columns(2)
model = model_choice(engine, f"vary_model_{engine.name}", c1)
if model is None:
    st.stop()
caps = engine.capabilities(model)
n = count_input(_("How many variations"), caps, key=f"vary_n_{engine.name}", default=3, container=c2)
if not caps.can_vary:
    st.warning(
        _("{engine} with {model} cannot make variations. Choose another model or engine.").format(
            engine=engine_label(engine), model=md(model)
        ),
        icon="✏️",
    )

source = choose_source("vary", PictureToVary, imaging.rules_for(engine.name, model))
if source is None:
    st.stop()
st.image(source.picture.png, caption=_("Your picture"), width=320, alt=_("The picture the variations start from"))

prompt = ""
strength = 0.5
seed: int | None = None
temperature: float | None = None
if caps.vary_needs_prompt:
    st.info(
        _(
            "**How variations work on {engine} ({model}):** OpenAI retired DALL-E 2, the only model "
            "with a variations button. So the studio sends your picture to the *edit* endpoint together "
            "with a few words, and the model redraws it. Change the words to steer the new versions."
        ).format(engine=engine_label(engine), model=md(model)),
        icon="ℹ️",
    )
    if PROMPT_KEY not in st.session_state:
        st.session_state[PROMPT_KEY] = _(DEFAULT_PROMPT)
    prompt = st.text_input(_("Words to go with your picture"), key=PROMPT_KEY)
elif not engine.hosted:
    c1, c2 = st.columns(2)
    strength = c1.slider(
        _("How different"), 0.0, 1.0, 0.5, 0.05, key="vary_strength",
        help=_("0 keeps your picture almost as it is; 1 changes it freely."),
    )  # fmt: skip
    if caps.has_seed:
        seed = int(c2.number_input(_("Seed (0 = surprise me)"), 0, 2**31 - 1, 0, key="vary_seed")) or None
        temperature = c2.slider(
            _("Randomness"), 0.0, 1.0, 0.7, 0.05, key="vary_temperature",
            help=_("0: all variations start from the same random draw. 1: each from its own."),
        )  # fmt: skip
else:
    st.caption(
        _("{engine} has no strength setting: each variation is a new surprise.").format(engine=engine_label(engine))
    )
for note in caps.notes:
    st.caption(f"ℹ️ {say(note)}")

if st.button("🔀 " + _("Make variations"), type="primary", disabled=not (status.configured and caps.can_vary)):
    result = run_with_progress(_("Making your variations…"), lambda progress: state.studio().vary(
        image=source.picture.png, engine=engine.name, model=model, n=int(n), strength=strength,
        prompt=prompt, seed=seed, temperature=temperature, owner=state.owner_id(), page="variations",
        progress=progress, tags={SOURCE: source.digest},
    ))  # fmt: skip
    if result is not None:
        state.keep_results(RESULTS_KEY, result)
        st.session_state[RESULTS_SOURCE_KEY] = source.digest

recent.bring_back(RESULTS_KEY, "variations", source_key=RESULTS_SOURCE_KEY)  # after a reload, beside its picture
images = state.results(RESULTS_KEY)
if images and st.session_state.get(RESULTS_SOURCE_KEY, source.digest) == source.digest:
    st.markdown("#### " + _("Your variations"))
    show_explanations(images)
    image_grid(images, key="vary_result")
