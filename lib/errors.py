"""The errors a student or teacher can see.

Every failure that reaches a page is a :class:`StudioError`; pages catch that root alone and show
``str(error)``, which is always a friendly sentence (never a key, never a traceback)::

    StudioError
     +-- NotConfigured       an engine is missing a setting: says what to set and where
     +-- AuthFailed          the key or login was refused
     +-- RateLimited         too many requests: says when to try again
     +-- Blocked             a safety layer said no: says which stage, in words a child can read
     +-- BadInput            the request itself is wrong: says what is wrong and what is allowed
     +-- EngineUnavailable   network, timeout, server error, retired or unknown model
     +-- StoreUnavailable    the class's database or picture store does not answer

Engines translate SDK errors into these at their edge.

``lib`` speaks no one language: an error is raised with an English *template* and its parameters,
``BadInput("Choose one of these sizes: {sizes}.", params={"sizes": "256x256"}, code="size")``.
``str(error)`` is the English sentence (for logs and tests); the interface (``lib/ui/i18n.py``)
looks the template up in the session's catalog and fills in the same parameters. Babel extracts
the templates from the calls of these classes (``babel.cfg``); a message built elsewhere is marked
with :func:`lib.messages.N_`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from lib.messages import Msg

BlockStage = Literal["prompt screen", "moderation", "provider", "output check", "rate limit"]


class StudioError(Exception):
    """Root of every error a page shows. ``str(e)`` is the message for the user, in English."""

    def __init__(
        self,
        message: str,
        *,
        detail: str | None = None,
        code: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        if isinstance(message, Msg) and params is None:  # a sentence lib made earlier, with its parameters
            made: Msg = message
            message, params = made.template, made.params
        #: The English words, with ``{name}`` placeholders when there are ``params``.
        self.template = message
        #: The values of the placeholders (the student's words, a number, a model's name...).
        self.params: dict[str, object] = dict(params or {})
        #: A short stable name of the message ("model_not_allowed"), for tests and logs.
        self.code = code
        self.message = message.format(**self.params) if self.params else message
        super().__init__(self.message)
        #: A technical detail for logs and the teacher (never contains a key).
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class NotConfigured(StudioError):
    """A setting the engine needs is missing; the message names it and where to set it."""


class AuthFailed(StudioError):
    """The provider refused the key or the login."""


class RateLimited(StudioError):
    """Too many requests; ``retry_after`` is in seconds when the provider said."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        detail: str | None = None,
        code: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, detail=detail, code=code, params=params)
        self.retry_after = retry_after


class Blocked(StudioError):
    """A safety layer refused; ``stage`` says which one."""

    def __init__(
        self,
        message: str,
        *,
        stage: BlockStage,
        detail: str | None = None,
        category: str = "",
        urgent: bool = False,
        code: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, detail=detail, code=code, params=params)
        self.stage: BlockStage = stage
        #: What the refusal is about ("alcohol", "self-harm", "override"...).
        self.category = category
        #: A child may be at risk: the page shows a kind message, not a warning.
        self.urgent = urgent


class BadInput(StudioError):
    """The request is wrong (empty prompt, unknown size, not an image...): says what is allowed."""


class EngineUnavailable(StudioError):
    """The engine cannot answer now: network, timeout, server error, retired or unknown model."""


class StoreUnavailable(StudioError):
    """The database or the picture store cannot be reached; nothing was lost or half-written."""
