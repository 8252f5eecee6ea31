"""The Rules tab of the Teacher page: engines, models, limits, the metaprompt and the safety layers."""

from __future__ import annotations

import streamlit as st

from lib.rules import DEFAULT_DISALLOW, DEFAULT_METAPROMPT, TeacherRules
from lib.ui import i18n, state
from lib.ui import teacher as ui
from lib.ui.i18n import _


def rules_tab(rules: TeacherRules) -> None:
    """The rules form (saved against the version shown), the reset button and the try-a-prompt box."""
    ui.show_store_health()
    ui.remember_shown_version()
    engines = ui.all_engines()
    notes = ui.layer_notes(rules)
    ui.show_layers_not_running(rules)
    said = i18n.translator()  # labels in the language the form is drawn in
    with st.form("teacher_rules"):
        st.subheader(_("What students may use"))
        allowed_engines = st.multiselect(
            _("Image engines (none chosen = all)"), engines, default=[e for e in rules.allowed_engines if e in engines],
            format_func=lambda name: said(state.engine_label(name)), key="teacher_engines",
        )  # fmt: skip
        models: dict[str, list[str]] = {}
        for name in engines:
            current = list(rules.allowed_models.get(name, ()))
            offered = list(dict.fromkeys(ui.engine_models(name) + current))
            models[name] = st.multiselect(
                _("Models of {engine} (none chosen = all)").format(engine=_(state.engine_label(name))), offered,
                default=current,
                accept_new_options=True, key=f"teacher_models_{name}",
            )  # fmt: skip
        c1, c2 = st.columns(2)
        per_request = c1.number_input(
            _("Most pictures per request"), 1, 10, min(rules.max_images_per_request, 10), key="teacher_n"
        )
        per_hour = c2.number_input(
            _("Most online pictures per student per hour"),
            1,
            1000,
            min(rules.max_images_per_hour, 1000),
            key="teacher_hour",
        )

        st.subheader(_("Instructions added before every prompt"))
        metaprompt = st.text_area(
            _("Metaprompt ({disallow} is replaced by the list below)"), rules.metaprompt, height=140,
            key="teacher_metaprompt",
            help=_("The picture's shape comes from the size setting, so there is no need to ask for one here."),
        )  # fmt: skip
        disallow = st.text_area(
            _("Not allowed (one topic, word or phrase per line)"), "\n".join(rules.disallow), height=180,
            key="teacher_disallow",
            # The topics as the list needs them written (the screen knows them by their English names).
            help=_("Known topics, written in English as the list needs them ({topics}), expand to many words and "
                   "other languages; anything else is matched as written, and blocks its emoji too.").format(
                topics=", ".join(DEFAULT_DISALLOW)),
        )  # fmt: skip

        help_line = st.text_input(
            _("Help line shown to a student who may be at risk"), rules.help_line, key="teacher_help_line",
            placeholder=_("e.g. Childline: 0800 1111"),
        )  # fmt: skip

        language = st.selectbox(
            _("The class's language (a student can still choose another)"),
            ["", *i18n.LANGUAGES],
            index=(["", *i18n.LANGUAGES]).index(rules.language) if rules.language in i18n.LANGUAGES else 0,
            format_func=lambda code: i18n.LANGUAGES.get(code) or said(i18n.N_("Each browser's own")),
            key="teacher_language",
        )

        st.subheader(_("Safety layers"))
        layers = {
            name: st.checkbox(_(label), getattr(rules, name), help=i18n.say(notes[name]), key=f"teacher_layer_{name}")
            for name, label in (
                ("prompt_screen", i18n.N_("Check prompts on this computer")),
                ("word_list", i18n.N_("Swear-word list")),
                ("moderation", i18n.N_("OpenAI moderation of prompts and pictures")),
                ("image_check", i18n.N_("Offline check of pictures")),
            )
        }
        saved = st.form_submit_button("💾 " + _("Save rules"), type="primary")

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
            language=str(language or ""),
        )
        if ui.save_rules(new_rules):
            st.success(_("Saved. Every page now follows these rules."), icon="✅")

    if st.button("↩️ " + _("Back to the default rules"), key="teacher_reset") and ui.save_rules(TeacherRules()):
        for key in [k for k in st.session_state if str(k).startswith("teacher_") and k != ui.UNLOCKED_KEY]:
            del st.session_state[key]
        st.rerun()

    with st.expander(_("How students see these rules")):
        ui.show_teachers_rules(rules, expanded=True)
    with st.expander(_("The lesson's original idea, and what changed")):
        st.markdown(
            _(
                "The lesson puts a metaprompt for children before the student's words. Its metaprompt asked for "
                "*landscape, 16:9* while its code asked for a square picture: the size setting decides the shape, "
                "so the default here leaves it out. Default:"
            )
        )
        st.text(DEFAULT_METAPROMPT)
    ui.try_prompt_box(ui.current_rules())
