"""The teacher's rules in the UI: reading them, the passcode lock, and the students' read-only view."""

from __future__ import annotations

import hmac

import streamlit as st

from lib import audit, roster
from lib.engines import engine_names, get_engine
from lib.errors import StudioError
from lib.policy import rules_summary
from lib.rules import TeacherRules, load_rules
from lib.safety import child_message, layer_status, screen_text
from lib.ui import state

#: Session flag: this browser typed the right passcode.
UNLOCKED_KEY = "teacher_unlocked"


def current_rules() -> TeacherRules:
    """The saved rules (or the defaults), read fresh so that a save applies at once to every page."""
    return load_rules(state.settings().data_dir)


def all_engines() -> list[str]:
    """Every engine installed here, allowed or not (the teacher chooses among them)."""
    return engine_names()


def engine_models(name: str) -> list[str]:
    """The models engine ``name`` offers ([] when it cannot load here)."""
    try:
        return get_engine(name, state.settings()).models()
    except StudioError:
        return []


def passcode_matches(typed: str, expected: str | None) -> bool:
    """Compare in constant time; no passcode set means nobody can unlock."""
    return bool(expected) and hmac.compare_digest(typed.encode(), (expected or "").encode())


def unlocked() -> bool:
    """Whether this browser unlocked the Teacher page (and a passcode is still set)."""
    return bool(st.session_state.get(UNLOCKED_KEY)) and bool(state.settings().teacher_passcode)


def show_teachers_rules(rules: TeacherRules | None = None, *, expanded: bool = False) -> None:
    """The rules as students see them: read-only, in plain sentences."""
    rules = rules or current_rules()
    moderation_possible = bool(state.settings().openai_api_key)
    with st.expander("📋 Your teacher's rules", expanded=expanded):
        for line in rules_summary(rules, moderation_possible=moderation_possible):
            st.markdown(f"- {line}")
        if rules.metaprompt.strip():
            st.caption("Instructions added before your words on online image engines:")
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
            st.warning(f"Not running here: {note}", icon="⚠️")


def try_prompt_box(rules: TeacherRules) -> None:
    """Try a prompt against the saved rules' local screen: verdict, layer and reason; no picture."""
    with st.form("teacher_try"):
        typed = st.text_input("Try a prompt (no picture is made)", key="teacher_try_prompt")
        if st.form_submit_button("🔎 Check") and typed.strip():
            verdict = screen_text(typed, rules)
            if verdict.allowed:
                st.success("Allowed by the local screen (online moderation, when on, checks again).", icon="✅")
            else:
                st.error(
                    f"Refused by the local screen ({verdict.layer}): {verdict.category}, {verdict.reason}.",
                    icon="🛡️",
                )
                st.caption(f"The student would read: {child_message(verdict, rules.help_line)}")


def show_audit_log(limit: int = 50) -> None:
    """The latest refusals, newest first."""
    data_dir = state.settings().data_dir
    rows = list(reversed(audit.read_last(data_dir, limit)))
    if not rows:
        st.caption("No refusals yet.")
        return
    known = roster.names(data_dir)
    rows = [{"student": known.get(str(row.get("owner")), ""), **row} for row in rows]
    st.dataframe(rows, hide_index=True, width="stretch")
