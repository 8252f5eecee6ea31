"""The teacher's rules in the UI: reading them, the passcode lock, and the students' read-only view."""

from __future__ import annotations

import hmac

import streamlit as st

from lib import audit, roster
from lib.engines import engine_names, get_engine
from lib.errors import StudioError
from lib.policy import rules_summary
from lib.rules import TeacherRules, load_rules
from lib.safety import nudity
from lib.ui import state
from lib.ui.text import md

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
            st.markdown(f"- {md(line)}")
        if rules.metaprompt.strip():
            st.caption("Instructions added before your words on online image engines:")
            st.text(rules.rendered_metaprompt())


def layer_notes() -> dict[str, str]:
    """Help text for each safety layer, saying when a layer cannot run here."""
    has_key = bool(state.settings().openai_api_key)
    return {
        "prompt_screen": "Checks the words on this computer before anything is sent. Catches tricks like 'n u d e'.",
        "word_list": "Adds a maintained list of swear words (better-profanity), minus classroom words.",
        "moderation": "OpenAI's free safety check for words and pictures."
        + ("" if has_key else " Needs OPENAI_API_KEY: off until one is set."),
        "image_check": "Looks for nudity in pictures on this computer."
        + ("" if nudity.available() else " Needs `pip install nudenet` (about 100 MB): not installed here."),
    }


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
