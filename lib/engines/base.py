"""The engine contract: what every image engine offers and how it is called.

An engine says what a model can do (:class:`Capabilities`) and implements ``generate``, ``edit``
and ``vary``. Each takes a small frozen request and returns :class:`GeneratedImage` objects: PNG
bytes plus what made them. Pages never see SDK objects; engines raise only
:class:`lib.errors.StudioError` subclasses.

Masks follow one convention everywhere inside the app: a single-channel (mode ``L``) PNG at the
image's own size, 255 where the picture should change, 0 where it must stay.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Operation = Literal["generate", "edit", "vary"]

#: Called in the caller's thread as images arrive: ``progress(done, total)``.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, kw_only=True)
class Capabilities:
    """What one model of one engine accepts."""

    sizes: tuple[str, ...]
    #: Most images in one request from the student.
    max_images: int
    #: Most images the provider returns from one call; 1 means the engine fans calls out.
    images_per_call: int
    max_prompt_chars: int
    qualities: tuple[str, ...] = ("auto",)
    styles: tuple[str, ...] = ()
    can_edit: bool = False
    can_vary: bool = False
    #: Variations are made by an edit call with the source image and a prompt.
    vary_needs_prompt: bool = False
    #: Seeds and temperature really exist for this model.
    has_seed: bool = False
    #: The model understands instructions in its prompt (a language model reads it), so the
    #: teacher's metaprompt is put in front. Collage and CLIP-based models would draw the words
    #: of "no weapons, no blood" instead, or lose the student's words past 77 tokens.
    reads_instructions: bool = False
    #: The size the page offers first (``sizes[0]`` when unset).
    default_size: str | None = None
    #: Free text shown next to the controls ("DALL-E is retired", ...).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GenerateRequest:
    """Text to image. ``prompt`` is what is sent (metaprompt included)."""

    prompt: str
    model: str
    size: str
    n: int = 1
    quality: str = "auto"
    style: str | None = None
    seed: int | None = None
    #: 0 = every image starts from one shared draw, 1 = each from its own. Engines with seeds only.
    temperature: float | None = None
    #: The prompt as the student typed it, kept for the record.
    student_prompt: str = ""
    #: A stable hashed id per student for the provider's safety monitoring (never a name):
    #: sent as ``safety_identifier``, which replaced OpenAI's deprecated ``user``.
    safety_identifier: str | None = None


@dataclass(frozen=True, kw_only=True)
class EditRequest:
    """Change the masked part of ``image`` (PNG) as ``prompt`` says. ``mask``: see module doc."""

    image: bytes
    mask: bytes
    prompt: str
    model: str
    size: str | None = None
    n: int = 1
    quality: str = "auto"
    seed: int | None = None
    student_prompt: str = ""
    safety_identifier: str | None = None


@dataclass(frozen=True, kw_only=True)
class VaryRequest:
    """New pictures like ``image`` (PNG). ``strength`` 0 keeps it, 1 changes it freely."""

    image: bytes
    model: str
    size: str | None = None
    n: int = 1
    strength: float = 0.5
    #: Only engines with ``vary_needs_prompt`` use it.
    prompt: str = ""
    seed: int | None = None
    temperature: float | None = None
    student_prompt: str = ""
    safety_identifier: str | None = None


@dataclass(frozen=True, kw_only=True)
class GeneratedImage:
    """One picture and everything that made it (no key, ever)."""

    png: bytes
    engine: str
    model: str
    operation: Operation
    prompt_sent: str
    size: str
    prompt_typed: str = ""
    revised_prompt: str | None = None
    seed: int | None = None
    temperature: float | None = None
    quality: str | None = None
    created: float = field(default_factory=time.time)
    elapsed_s: float = 0.0
    #: Engine-specific facts worth keeping (e.g. the storybook's ``drawn``/``not_drawn``).
    extra: Mapping[str, Any] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        """Everything but the pixels, as plain JSON-able values."""
        return {
            "engine": self.engine,
            "model": self.model,
            "operation": self.operation,
            "prompt_typed": self.prompt_typed,
            "prompt_sent": self.prompt_sent,
            "revised_prompt": self.revised_prompt,
            "size": self.size,
            "seed": self.seed,
            "temperature": self.temperature,
            "quality": self.quality,
            "created": self.created,
            "elapsed_s": round(self.elapsed_s, 3),
            "extra": dict(self.extra),
        }


@dataclass(frozen=True, kw_only=True)
class EngineStatus:
    """Whether an engine can run now, and if not, how to make it run."""

    configured: bool
    summary: str
    how_to_configure: str = ""


class Engine(ABC):
    """One image engine. Subclasses set ``name`` and ``label`` and implement the methods.

    Engines must be safe to call from several Streamlit sessions at once, and must not call
    Streamlit (they run in worker threads).
    """

    #: Registry key, also stored in history ("openai", "storybook", ...).
    name: str = ""
    #: What a teacher or student reads in the UI.
    label: str = ""
    #: True for engines that send prompts over the network.
    hosted: bool = False

    @abstractmethod
    def status(self) -> EngineStatus:
        """Say whether the engine is configured, without any network call."""

    @abstractmethod
    def models(self) -> list[str]:
        """Model names to offer, default first. Any other name may still be typed."""

    @abstractmethod
    def capabilities(self, model: str) -> Capabilities:
        """What ``model`` accepts."""

    @abstractmethod
    def generate(self, request: GenerateRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Make ``request.n`` images from text."""

    @abstractmethod
    def edit(self, request: EditRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Repaint the masked part of an image."""

    @abstractmethod
    def vary(self, request: VaryRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Make variations of an image."""
