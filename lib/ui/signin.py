"""Optional school sign-in with Streamlit's ``st.login`` (OpenID Connect).

It is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section, as Streamlit documents it
(``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``, ``server_metadata_url``:
Google Workspace, Microsoft Entra ID or any OIDC provider). Then:

- a signed-in student's gallery follows the account across devices: the account (issuer and
  subject) always gets the same gallery id, and the roster shows the account's real name;
- the accounts listed in ``TEACHER_EMAILS`` are teachers, without the passcode (the passcode
  still works, and is all there is where sign-in is off);
- a gallery link of an account opens only for that account, so the next child on a shared
  Chromebook does not get the previous one's gallery from the address bar.
"""

from __future__ import annotations

import logging

import streamlit as st

from lib.errors import StoreUnavailable
from lib.ui import state
from lib.ui.i18n import _

log = logging.getLogger(__name__)


def configured() -> bool:
    """Whether the app has an ``[auth]`` section in its secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def signed_in() -> bool:
    return configured() and bool(getattr(st.user, "is_logged_in", False))


def email() -> str:
    return str(st.user.get("email") or "").lower() if signed_in() else ""


def is_teacher() -> bool:
    """A signed-in account listed in ``TEACHER_EMAILS``."""
    address = email()
    return bool(address) and address in state.settings().teachers


def follow_account() -> None:
    """Before :func:`lib.ui.state.owner_id`: a signed-in account gets its own gallery id; an
    account's gallery link opened by anybody else is dropped (they get a gallery of their own)."""
    if not configured():
        return
    store = state.services().store
    try:
        if signed_in():
            owner = store.accounts.owner_for(
                issuer=str(st.user.get("iss") or ""), subject=str(st.user.get("sub") or ""),
                # A teacher's name stays out of the roster: the class lists are of students.
                email=email(), name="" if is_teacher() else str(st.user.get("name") or ""),
            )  # fmt: skip
            st.session_state[state.OWNER_KEY] = owner
            if st.query_params.get(state.OWNER_PARAM) != owner:
                st.query_params[state.OWNER_PARAM] = owner
            return
        current = st.query_params.get(state.OWNER_PARAM)
        if current and store.accounts.is_account(current):
            st.session_state.pop(state.OWNER_KEY, None)
            del st.query_params[state.OWNER_PARAM]
    except StoreUnavailable:
        log.warning("sign-in: the store does not answer")


def sidebar() -> None:
    """Sign in / sign out, when sign-in is on."""
    if not configured():
        return
    if signed_in():
        who = str(st.user.get("name") or email())
        said = _("Signed in as {name} (teacher)") if is_teacher() else _("Signed in as {name}")
        st.caption(said.format(name=who))
        if st.button(_("Sign out"), key="signin_logout"):
            st.logout()
    elif st.button("🔐 " + _("Sign in with your school account"), key="signin_login"):
        st.login()
