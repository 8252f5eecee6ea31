"""The teacher's rules in the UI: reading them, the passcode lock, and the students' read-only view."""

from __future__ import annotations

import streamlit as st

from lib.errors import StudioError
from lib.policy import rules_summary
from lib.rules import TeacherRules
from lib.safety import child_message, layer_status, screen_text
from lib.store import RulesConflict
from lib.teacher_access import try_passcode
from lib.ui import state
from lib.ui.i18n import N_, _, error_text, say
from lib.ui.text import md

#: The default topics of the disallow list (``lib.rules.DEFAULT_DISALLOW``), for the catalogs: the
#: students' summary names them in the student's language; a teacher's own words stay as typed.
DEFAULT_TOPICS = (
    N_("violence"), N_("blood"), N_("gore"), N_("nudity"), N_("sexual content"), N_("adult content"),
    N_("weapons"), N_("drugs"), N_("alcohol"), N_("self-harm"), N_("hate"), N_("tobacco and vaping"),
    N_("bullying"),
)  # fmt: skip
#: Session flag: this browser typed the right passcode.
UNLOCKED_KEY = "teacher_unlocked"
#: The version of the rules the form was last shown with: a save is made against it.
SHOWN_VERSION_KEY = "teacher_rules_version"


def current_rules() -> TeacherRules:
    """The rules in force this rerun (read once from the store, so a save applies at the next rerun)."""
    return state.services().rules


def save_rules(rules: TeacherRules) -> bool:
    """Save the teacher's rules against the version the form showed; False (and a message) on a clash."""
    services = state.services()
    shown = st.session_state.get(SHOWN_VERSION_KEY, services.rules_version)
    try:
        st.session_state[SHOWN_VERSION_KEY] = services.store.rules.save(rules, expected_version=int(shown))
    except RulesConflict as error:
        for key in [k for k in st.session_state if str(k).startswith("teacher_") and k != UNLOCKED_KEY]:
            del st.session_state[key]  # the form then shows the rules the other teacher saved
        st.session_state[SHOWN_VERSION_KEY] = services.store.rules.read().version
        st.warning(error_text(error), icon="👥")
        return False
    return True


def remember_shown_version() -> None:
    """Note the version the form is being shown with (call once per rerun, before any save)."""
    st.session_state.setdefault(SHOWN_VERSION_KEY, state.services().rules_version)


def show_store_health() -> None:
    """Which store keeps the class's work, and whether it answers."""
    health = state.services().store.health()
    where = _("Database: `{database}` · pictures: {storage}").format(
        database=health.database, storage=say(health.storage)
    )
    if health.ok:
        st.success(_("The class's store answers.") + f" {where}", icon="🗄️")
    else:
        st.error(_("The class's store does not answer, so students cannot make pictures.") + f" {where}", icon="🗄️")
        st.caption(health.problem)


def all_engines() -> list[str]:
    """Every engine installed here, allowed or not (the teacher chooses among them)."""
    return state.services().installed_engines()


def engine_models(name: str) -> list[str]:
    """The models engine ``name`` offers ([] when it cannot load here)."""
    try:
        return state.services().raw_engine(name).models()
    except StudioError:
        return []


def unlock(typed: str) -> str | None:
    """Try the passcode (throttled in the store); None when it unlocked, else what to show."""
    services = state.services()
    answer = try_passcode(services.store, typed, services.settings.teacher_passcode, owner=state.owner_id())
    if answer.unlocked:
        st.session_state[UNLOCKED_KEY] = True
        return None
    return answer.message


def unlocked() -> bool:
    """Whether this browser unlocked the Teacher page (and a passcode is still set), or is signed
    in with an account listed in ``TEACHER_EMAILS``."""
    from lib.ui import signin  # here: signin is only needed when the page asks

    by_passcode = bool(st.session_state.get(UNLOCKED_KEY)) and bool(state.settings().teacher_passcode)
    return by_passcode or signin.is_teacher()


def show_teachers_rules(rules: TeacherRules | None = None, *, expanded: bool = False) -> None:
    """The rules as students see them: read-only, in plain sentences."""
    rules = rules or current_rules()
    moderation_possible = bool(state.settings().openai_api_key)
    with st.expander("📋 " + _("Your teacher's rules"), expanded=expanded):
        for line in rules_summary(rules, moderation_possible=moderation_possible):
            st.markdown(f"- {md(say(line))}")
        if rules.metaprompt.strip():
            st.caption(_("Instructions added before your words on online image engines:"))
            st.text(rules.rendered_metaprompt())


def layer_notes(rules: TeacherRules | None = None) -> dict[str, str]:
    """Help text for each safety layer, saying when a layer cannot run here."""
    status = layer_status(rules or current_rules(), has_openai_key=bool(state.settings().openai_api_key))
    return {name: note for name, (_, note) in status.items()}


def show_layers_not_running(rules: TeacherRules) -> None:
    """A warning at once for each ticked layer that cannot run on this computer."""
    status = layer_status(rules, has_openai_key=bool(state.settings().openai_api_key))
    for name, (runs, note) in status.items():
        if getattr(rules, name) and not runs:
            st.warning(_("Not running here: {note}").format(note=say(note)), icon="⚠️")


def try_prompt_box(rules: TeacherRules) -> None:
    """Try a prompt against the saved rules' local screen: verdict, layer and reason; no picture."""
    with st.form("teacher_try"):
        typed = st.text_input(_("Try a prompt (no picture is made)"), key="teacher_try_prompt")
        if st.form_submit_button("🔎 " + _("Check")) and typed.strip():
            verdict = screen_text(typed, rules)
            if verdict.allowed:
                st.success(_("Allowed by the local screen (online moderation, when on, checks again)."), icon="✅")
            else:
                st.error(
                    _("Refused by the local screen ({layer}): {category}, {reason}.").format(
                        layer=verdict.layer, category=verdict.category, reason=verdict.reason
                    ),
                    icon="🛡️",
                )
                said = say(child_message(verdict, rules.help_line))
                st.caption(_("The student would read: {words}").format(words=said))
