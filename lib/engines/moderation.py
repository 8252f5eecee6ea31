"""OpenAI's moderation endpoint (free), behind the same door as the other SDK calls.

``omni-moderation-latest`` reads text and images (images as ``data:`` URIs). This module returns
plain :class:`ModerationResult` objects and translates SDK errors into
:class:`lib.errors.StudioError` with :func:`lib.engines.openai_errors.translate`; deciding what a
refusal or an outage means for a classroom is :mod:`lib.safety`'s job.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openai

from lib.engines.openai_errors import translate
from lib.errors import NotConfigured, StudioError
from lib.settings import Settings

MODERATION_MODEL = "omni-moderation-latest"


@dataclass(frozen=True)
class ModerationResult:
    """One answer: flagged or not, and the names of the flagged categories ("violence", ...)."""

    flagged: bool
    categories: tuple[str, ...] = ()


class OpenAIModerator:
    """Checks text and pictures with OpenAI's moderation model. Thread-safe; one client reused."""

    def __init__(self, settings: Settings, *, model: str = MODERATION_MODEL) -> None:
        if not settings.openai_api_key:
            raise NotConfigured("The moderation check needs OPENAI_API_KEY (in .env or the app's secrets).")
        self._settings = settings
        self.model = model
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()

    def _get_client(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                s = self._settings
                self._client = openai.OpenAI(
                    api_key=s.openai_api_key,
                    base_url=s.openai_base_url,
                    timeout=min(s.openai_timeout, 30.0),
                    max_retries=s.openai_max_retries,
                )
            return self._client

    def _call(self, payload: Any) -> list[ModerationResult]:
        try:
            response = self._get_client().moderations.create(model=self.model, input=payload)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a StudioError at this edge
            raise self._translate(exc) from exc
        out: list[ModerationResult] = []
        for result in response.results:
            flags = result.categories.model_dump(by_alias=True)
            names = tuple(sorted(name for name, on in flags.items() if on))
            out.append(ModerationResult(flagged=bool(result.flagged), categories=names))
        return out

    def _translate(self, exc: Exception) -> StudioError:
        s = self._settings
        return translate(exc, model=self.model, azure=False, secrets=s.secrets, timeout=s.openai_timeout)

    def check_text(self, text: str) -> ModerationResult:
        """Moderate one text."""
        results = self._call(text)
        return results[0] if results else ModerationResult(flagged=False)

    def check_image(self, png: bytes) -> ModerationResult:
        """Moderate one picture (PNG bytes, sent as a ``data:`` URI)."""
        url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        results = self._call([{"type": "image_url", "image_url": {"url": url}}])
        return results[0] if results else ModerationResult(flagged=False)

    def check_images(self, pngs: Sequence[bytes]) -> list[ModerationResult]:
        """Moderate pictures one call each (the endpoint takes one image per request)."""
        return [self.check_image(png) for png in pngs]


def create_moderator(settings: Settings) -> OpenAIModerator | None:
    """A moderator when an OpenAI key is set, else ``None`` (the layer is then off)."""
    return OpenAIModerator(settings) if settings.openai_api_key else None
