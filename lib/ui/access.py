"""The door (SPEC §6): who may open the app, and what they may see once in.

`gate()` runs first on every script run (dashboard.py), before any data is read:

- **Sign-in not configured** (no `[auth]` in `.streamlit/secrets.toml`): one person on
  this computer, who sees everything. Served on any address but loopback (`0.0.0.0`, a
  LAN address, or Streamlit's default of every interface), the app shows why it refuses
  and nothing else, so data is never served to a network without sign-in.
- **Sign-in configured**: Streamlit's OpenID Connect (`st.login`). A person who is not
  signed in sees only the sign-in button. A signed-in person whose e-mail address the
  identity provider has not verified, or who is not on the `[access]` allow-list, sees
  why, and a sign-out button. Anyone else gets their `lib.access.Grant`, kept in the
  session, which `lib/ui/data.py` applies to every connection it hands out.

Configuration: `.streamlit/secrets.example.toml` (copy it to `secrets.toml`, which
Streamlit loads and git ignores).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st

from lib import access

_GRANT = "pillars_grant"
NOBODY = access.Grant("nobody")  # sees no org unit
log = logging.getLogger(__name__)


def auth_section() -> dict | None:
    """The `[auth]` table of secrets.toml when sign-in is configured, else None."""
    section = _secret("auth")
    return section if section.get("redirect_uri") and section.get("cookie_secret") else None


def _secret(name: str) -> dict:
    """A table of secrets.toml as plain dicts ({} when absent or no secrets file)."""
    if not st.secrets.load_if_toml_exists() or name not in st.secrets:
        return {}
    return _plain(st.secrets[name])


def _plain(value):
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def providers(section: dict) -> list[str | None]:
    """Identity providers to offer: None for `[auth]` itself, else each `[auth.<name>]`."""
    if section.get("client_id"):
        return [None]
    return [name for name, value in section.items() if isinstance(value, dict) and value.get("client_id")]


def current_grant() -> access.Grant:
    """What this session may see: set by `gate`; before it runs, everything only when
    sign-in is not configured, else nothing."""
    grant = st.session_state.get(_GRANT)
    if isinstance(grant, access.Grant):
        return grant
    if auth_section() is None and access.is_loopback(st.get_option("server.address")):
        return access.FULL
    return NOBODY


def gate() -> access.Grant:
    """Let the person in (returning their grant) or stop the script run with the reason."""
    section = auth_section()
    if section is None:
        address = st.get_option("server.address")
        if not access.is_loopback(address):
            log.error(access.refusal(address))
            _closed()
            st.error(access.refusal(address), icon=":material/lock:")
            st.stop()
        st.session_state[_GRANT] = access.FULL
        return access.FULL
    if not st.user.get("is_logged_in"):
        _sign_in_page(section)
        st.stop()
    email = st.user.get("email")
    try:
        rules = access.parse_rules(_secret("access"))
    except ValueError as problem:
        _refused(
            f"The allow-list in `.streamlit/secrets.toml` cannot be read: {problem}. Ask whoever runs Pillars."
        )
    if st.user.get("email_verified") is False:
        _refused(f"Your identity provider has not verified the address {email}, so it cannot be matched.")
    grant = access.grant_for(email, rules)
    if grant is None:
        _refused(
            f"{email or 'Your account'} is not on Pillars' allow-list. Ask whoever runs Pillars to add your "
            "address or your e-mail domain, with the org units you may see."
        )
    st.session_state[_GRANT] = grant
    with st.sidebar:
        st.caption(f"Signed in as **{grant.who}** · sees {grant.describe()}")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout, key="sign-out")
    return grant


def _closed() -> None:
    """No way to the pages: the navigation holds one hidden, empty page (the first visit
    of a fresh server would otherwise list the `pages/` folder in the sidebar)."""
    st.navigation([st.Page(_nothing, title="Pillars", url_path="signin")], position="hidden")


def _nothing() -> None:
    return None


def _sign_in_page(section: dict) -> None:
    _closed()
    st.title("Pillars")
    st.write("Sign in with your company account to see the engineering numbers you are allowed to see.")
    for provider in providers(section):
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        st.button(
            label,
            type="primary",
            icon=":material/login:",
            on_click=st.login,
            args=() if provider is None else (provider,),
            key=f"sign-in-{provider or 'default'}",
        )


def _refused(message: str) -> None:
    st.session_state.pop(_GRANT, None)
    _closed()
    st.title("Pillars")
    st.error(message, icon=":material/block:")
    st.button("Sign out", icon=":material/logout:", on_click=st.logout, key="sign-out")
    st.stop()
