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
"""

from __future__ import annotations

from typing import Literal

BlockStage = Literal["prompt screen", "moderation", "provider", "output check", "rate limit"]


class StudioError(Exception):
    """Root of every error a page shows. ``str(e)`` is the message for the user."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
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

    def __init__(self, message: str, *, retry_after: float | None = None, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.retry_after = retry_after


class Blocked(StudioError):
    """A safety layer refused; ``stage`` says which one."""

    def __init__(
        self, message: str, *, stage: BlockStage, detail: str | None = None, category: str = "", urgent: bool = False
    ) -> None:
        super().__init__(message, detail=detail)
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
