"""Edit: paint over part of a picture and say what should be there instead."""

from __future__ import annotations

import streamlit as st

from lib import imaging
from lib.pictures import SOURCE
from lib.ui import recent, state
from lib.ui.canvas import background, mask_canvas
from lib.ui.controls import count_input, engine_label, engine_status, model_choice
from lib.ui.handoff import PictureToEdit
from lib.ui.i18n import _, say
from lib.ui.notes import set_aside_unchanged, show_explanations, unchanged_box
from lib.ui.source import choose_source, remember
from lib.ui.text import md
from lib.ui.widgets import image_card, run_with_progress

state.ensure_frame(__file__)

RESULTS_KEY = "edit_results"
#: Which picture the results belong to (they are shown only beside that picture).
RESULTS_SOURCE_KEY = "edit_results_source"
PROMPT_KEY = "edit_prompt"
#: Above this share the mask is "everything": allowed, but the student is told.
ALMOST_ALL = 0.97
PAINT, SKETCH = "paint", "sketch"
HOW = {PAINT: "🖌️ " + _("Paint where to change"), SKETCH: "✏️ " + _("Sketch what you want")}

st.title("🩹 " + _("Edit a picture"))
st.caption(
    _(
        "Choose a picture, **paint over the part you want to change**, then say what should be there. "
        "Only the painted part changes."
    )
)

engine = state.engine()
status = engine_status(engine)
remember(f"edit_model_{engine.name}", PROMPT_KEY)
model = model_choice(engine, f"edit_model_{engine.name}")
if model is None:
    st.stop()
caps = engine.capabilities(model)
if not caps.can_edit:
    st.warning(
        _("{engine} with {model} cannot edit pictures. Choose another model or engine.").format(
            engine=engine_label(engine), model=md(model)
        ),
        icon="✏️",
    )

source = choose_source("edit", PictureToEdit, imaging.rules_for(engine.name, model))
if source is None:
    st.stop()

sketching = caps.can_sketch and st.radio(
    _("How do you want to show the change?"), [PAINT, SKETCH], format_func=HOW.get, horizontal=True, key="edit_how"
) == SKETCH  # fmt: skip
st.markdown("#### " + (_("1. Sketch what you want") if sketching else _("1. Paint the part to change")))
drawn = mask_canvas("edit_sketch" if sketching else "edit", source, sketch=sketching)
mask, markup = (None, drawn) if sketching else (drawn, None)
coverage = imaging.mask_coverage(mask) if mask else 0.0
if sketching:
    st.caption(_("Draw what you want on the picture: the engine follows your sketch."))
elif mask is None:
    st.info(_("Paint over the part of the picture you want to change. Nothing is painted yet."), icon="🖌️")
else:
    share = f"{coverage:.0%}"
    with st.expander(_("What the engine will change ({share} of the picture)").format(share=share), expanded=False):
        shown = imaging.display_size(source.picture.size, 320, 320)
        st.image(imaging.mask_preview(background(source.picture.png, shown), mask), width=shown[0],
                 alt=_("Your picture with the painted part coloured pink"))  # fmt: skip
    if coverage >= ALMOST_ALL:
        st.warning(
            _(
                "You painted over the whole picture, so the engine will draw it all again. "
                "To keep some of it, press **Clear my painting** and paint only part."
            ),
            icon="🎨",
        )

st.markdown("#### " + _("2. Say what should be there"))
prompt = st.text_input(
    _("What should the painted part become?"), key=PROMPT_KEY, placeholder=_("a bunny wearing a tall purple hat")
)
n = count_input(_("How many versions"), caps, key=f"edit_n_{engine.name}_{model}")
for note in caps.notes:
    st.caption(f"ℹ️ {say(note)}")

label = "🪄 " + (_("Follow my sketch") if sketching else _("Change the painted part"))
if st.button(label, type="primary", disabled=not (status.configured and caps.can_edit)):
    if drawn is None:
        first = _("Draw your sketch first: nothing is drawn yet.") if sketching else None
        st.warning(first or _("Paint over the part you want to change first: the mask is empty."), icon="🖌️")
    else:
        result = run_with_progress(_("Changing your picture…"), lambda progress: state.studio().edit(
            image=source.picture.png, mask=mask, markup=markup, prompt=prompt, engine=engine.name, model=model,
            n=int(n), owner=state.owner_id(), page="edit", progress=progress, tags={SOURCE: source.digest},
        ))  # fmt: skip
        if result is not None:
            result = set_aside_unchanged(source.picture.png, result, source_digest=source.digest)
            state.keep_results(RESULTS_KEY, result)
            st.session_state[RESULTS_SOURCE_KEY] = source.digest

unchanged_box(source.digest, RESULTS_KEY)
recent.bring_back(RESULTS_KEY, "edit", source_key=RESULTS_SOURCE_KEY)  # after a reload, beside its picture

images = state.results(RESULTS_KEY)
if images and st.session_state.get(RESULTS_SOURCE_KEY) == source.digest:
    st.markdown("#### " + _("3. Before and after"))
    show_explanations(images)
    columns = st.columns(1 + len(images))
    with columns[0]:
        st.image(source.picture.png, caption=_("Before"), width="stretch", alt=_("Your picture before the change"))
    for i, (column, image) in enumerate(zip(columns[1:], images, strict=False)):
        with column:
            image_card(image, key=f"edit_result_{i}", index=i)
