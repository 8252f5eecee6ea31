"""The Rules tab of the Teacher page: engines, models, limits, the metaprompt and the safety layers."""

from __future__ import annotations

import streamlit as st

from lib.rules import DEFAULT_METAPROMPT, TeacherRules
from lib.ui import state
from lib.ui import teacher as ui


def rules_tab(rules: TeacherRules) -> None:
    """The rules form (saved against the version shown), the reset button and the try-a-prompt box."""
    ui.show_store_health()
    ui.remember_shown_version()
    engines = ui.all_engines()
    notes = ui.layer_notes(rules)
    ui.show_layers_not_running(rules)
    with st.form("teacher_rules"):
        st.subheader("What students may use")
        allowed_engines = st.multiselect(
            "Image engines (none chosen = all)", engines, default=[e for e in rules.allowed_engines if e in engines],
            format_func=state.engine_label, key="teacher_engines",
        )  # fmt: skip
        models: dict[str, list[str]] = {}
        for name in engines:
            current = list(rules.allowed_models.get(name, ()))
            offered = list(dict.fromkeys(ui.engine_models(name) + current))
            models[name] = st.multiselect(
                f"Models of {state.engine_label(name)} (none chosen = all)", offered, default=current,
                accept_new_options=True, key=f"teacher_models_{name}",
            )  # fmt: skip
        c1, c2 = st.columns(2)
        per_request = c1.number_input(
            "Most pictures per request", 1, 10, min(rules.max_images_per_request, 10), key="teacher_n"
        )
        per_hour = c2.number_input(
            "Most online pictures per student per hour",
            1,
            1000,
            min(rules.max_images_per_hour, 1000),
            key="teacher_hour",
        )

        st.subheader("Instructions added before every prompt")
        metaprompt = st.text_area(
            "Metaprompt ({disallow} is replaced by the list below)", rules.metaprompt, height=140,
            key="teacher_metaprompt",
            help="The picture's shape comes from the size setting, so there is no need to ask for one here.",
        )  # fmt: skip
        disallow = st.text_area(
            "Not allowed (one topic, word or phrase per line)", "\n".join(rules.disallow), height=180,
            key="teacher_disallow",
            help="Known topics (violence, blood, gore, nudity, sexual content, adult content, weapons, drugs, alcohol, "
            "self-harm, hate, tobacco and vaping, bullying) expand to many words and other languages; "
            "anything else is matched as written, and blocks its emoji too.",
        )  # fmt: skip

        help_line = st.text_input(
            "Help line shown to a student who may be at risk", rules.help_line, key="teacher_help_line",
            placeholder="e.g. Childline: 0800 1111",
        )  # fmt: skip

        st.subheader("Safety layers")
        layers = {
            name: st.checkbox(label, getattr(rules, name), help=notes[name], key=f"teacher_layer_{name}")
            for name, label in (
                ("prompt_screen", "Check prompts on this computer"),
                ("word_list", "Swear-word list"),
                ("moderation", "OpenAI moderation of prompts and pictures"),
                ("image_check", "Offline check of pictures"),
            )
        }
        saved = st.form_submit_button("💾 Save rules", type="primary")

    if saved:
        new_rules = TeacherRules(
            allowed_engines=tuple(allowed_engines),
            allowed_models={name: tuple(chosen) for name, chosen in models.items() if chosen},
            metaprompt=metaprompt,
            disallow=tuple(dict.fromkeys(line.strip() for line in disallow.splitlines() if line.strip())),
            max_images_per_request=int(per_request),
            max_images_per_hour=int(per_hour),
            help_line=help_line.strip(),
            prompt_screen=layers["prompt_screen"],
            word_list=layers["word_list"],
            moderation=layers["moderation"],
            image_check=layers["image_check"],
            language=rules.language,
        )
        if ui.save_rules(new_rules):
            st.success("Saved. Every page now follows these rules.", icon="✅")

    if st.button("↩️ Back to the default rules", key="teacher_reset") and ui.save_rules(TeacherRules()):
        for key in [k for k in st.session_state if str(k).startswith("teacher_") and k != ui.UNLOCKED_KEY]:
            del st.session_state[key]
        st.rerun()

    with st.expander("How students see these rules"):
        ui.show_teachers_rules(rules, expanded=True)
    with st.expander("The lesson's original idea, and what changed"):
        st.markdown(
            "The lesson puts a metaprompt for children before the student's words. Its metaprompt asked for "
            "*landscape, 16:9* while its code asked for a square picture: the size setting decides the shape, "
            "so the default here leaves it out. Default:"
        )
        st.text(DEFAULT_METAPROMPT)
    ui.try_prompt_box(ui.current_rules())
