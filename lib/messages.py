"""Words that ``lib`` hands to the interface, in no one language.

``lib`` writes English, but as *templates with parameters*, so the interface can say the same thing
in the student's language (``lib/ui/i18n.py`` looks the template up in the session's gettext
catalog). Two shapes:

- :class:`Msg`, a ``str`` (the English sentence, so logs, tests and old callers read it as before)
  that also carries its ``template`` and ``params``: ``Msg("{letter}: randomness {t}", letter="A", t="0.1")``
  (a ``datetime.date`` parameter is said with its month's name in each language; a tuple of words
  as a list, each word the language knows said in it);
- :func:`N_`, which marks a constant for ``pybabel extract`` and returns it unchanged.

Errors carry the same two things (:class:`lib.errors.StudioError`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def _english(value: Any) -> Any:
    """A parameter as the English sentence says it (a date as "1 December 2026")."""
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    return f"{value.day} {value:%B %Y}" if isinstance(value, dt.date) else value


def N_(message: str) -> str:
    """Mark an English message for the catalogs (``pybabel extract``); it returns it unchanged."""
    return message


class Msg(str):
    """An English sentence made from a template and parameters, which the interface can translate."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Msg:
        english = {name: _english(value) for name, value in params.items()}
        self = super().__new__(cls, template.format(**english) if params else template)
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Msg:
    return Msg(template, **params)
