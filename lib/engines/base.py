"""The engine contract: what every image engine offers and how it is called.

An engine says what a model can do (:class:`Capabilities`) and implements ``generate``, ``edit``
and ``vary``. Each takes a small frozen request and returns :class:`GeneratedImage` objects: PNG
bytes plus what made them. Pages never see SDK objects; engines raise only
:class:`lib.errors.StudioError` subclasses.

Masks follow one convention everywhere inside the app: a single-channel (mode ``L``) PNG at the
image's own size, 255 where the picture should change, 0 where it must stay.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from lib.errors import BadInput
from lib.messages import Msg
from lib.pictures import GeneratedImage, Operation

#: Called in the caller's thread as images arrive: ``progress(done, total)``.
Progress = Callable[[int, int], None]


@runtime_checkable
class PartialProgress(Protocol):
    """A progress callback that can also show a picture while it is still being drawn.

    Engines that stream (``Capabilities.streams``) call ``progress.partial(index, png)`` for each
    rough picture, in the caller's thread; each one replaces the previous one of the same
    ``index``. A plain two-argument callback never gets partial pictures, and an engine only asks
    its provider to stream when the callback can show them.
    """

    def __call__(self, done: int, total: int) -> None: ...

    def partial(self, index: int, png: bytes) -> None: ...


def report_partial(progress: Progress | None, index: int, png: bytes) -> None:
    """Hand a partial picture to ``progress`` if it can show one (see :class:`PartialProgress`)."""
    if isinstance(progress, PartialProgress):
        progress.partial(index, png)


@runtime_checkable
class FinishedProgress(Protocol):
    """A progress callback that also takes each finished picture the moment it exists.

    The Studio passes one to every engine so that each picture is saved as soon as it is made,
    also inside a batch: a server killed halfway through a batch of four keeps the ones made.
    Engines call ``progress.finished(image)`` (through :func:`report_finished`) in the caller's
    thread, then return the whole list as before; a plain callback simply never hears of it.
    """

    def __call__(self, done: int, total: int) -> None: ...

    def finished(self, image: GeneratedImage) -> None: ...


def report_finished(progress: Progress | None, images: list[GeneratedImage] | GeneratedImage) -> None:
    """Hand finished pictures to ``progress`` if it takes them (see :class:`FinishedProgress`)."""
    if isinstance(progress, FinishedProgress):
        for image in images if isinstance(images, list) else [images]:
            progress.finished(image)


def wants_partials(progress: Progress | None) -> bool:
    """True when ``progress`` shows partial pictures, so streaming is worth asking for."""
    return isinstance(progress, PartialProgress)


_SIZE = re.compile(r"^(\d{1,5})x(\d{1,5})$")


def parse_size(size: str) -> tuple[int, int] | None:
    """``"1536x864"`` -> ``(1536, 864)``; ``None`` for ``auto`` or anything else."""
    match = _SIZE.match(size.strip().lower())
    return (int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True, kw_only=True)
class SizeRule:
    """Any ``WIDTHxHEIGHT`` a model accepts beyond its listed sizes (gpt-image-2 and 2.5)."""

    multiple: int = 16
    #: Width / height between ``1 / max_ratio`` and ``max_ratio``.
    max_ratio: float = 3.0
    max_long_side: int = 3840
    max_short_side: int = 2160
    min_pixels: int = 655_360
    max_pixels: int = 8_294_400

    def problem(self, size: str) -> str | None:
        """Why ``size`` is not accepted, in words a student understands; ``None`` when it is."""
        parsed = parse_size(size)
        if parsed is None:
            return Msg("'{size}' is not a picture size: write it as width x height, like 1536x864.", size=size)
        width, height = parsed
        if width % self.multiple or height % self.multiple:
            return Msg(
                "Both sides must be a multiple of {multiple} pixels ({size} is not).", multiple=self.multiple, size=size
            )
        if max(width, height) > self.max_ratio * min(width, height):
            return Msg(
                "{size} is too long and thin: one side may be at most {ratio} times the other.",
                size=size, ratio=f"{self.max_ratio:g}",
            )  # fmt: skip
        if max(width, height) > self.max_long_side or min(width, height) > self.max_short_side:
            return Msg(
                "{size} is too big: the largest picture is {largest}.",
                size=size, largest=f"{self.max_long_side}x{self.max_short_side}",
            )  # fmt: skip
        if not self.min_pixels <= width * height <= self.max_pixels:
            return Msg("{size} has too few or too many pixels for this model.", size=size)
        return None


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
    #: Words a child understands for some sizes ("Landscape 16:9 (like a TV)"), by size.
    size_labels: Mapping[str, str] = field(default_factory=dict)
    #: Other ``WIDTHxHEIGHT`` sizes the model takes, beyond ``sizes``; ``None``: only ``sizes``.
    size_rule: SizeRule | None = None
    #: The engine can show rough pictures while they are drawn (see :class:`PartialProgress`).
    streams: bool = False
    #: Edits can be guided by a sketch (a transparent overlay) instead of a mask.
    can_sketch: bool = False
    #: Values of the edit's "input fidelity" the model takes (empty: do not send it).
    input_fidelities: tuple[str, ...] = ()

    def size_problem(self, size: str) -> str | None:
        """Why the model cannot make ``size``; ``None`` when it can."""
        if size in self.sizes:
            return None
        if self.size_rule is not None:
            return self.size_rule.problem(size)
        return Msg(
            "This model cannot make {size} pictures. Sizes it can make: {sizes}.",
            size=size,
            sizes=", ".join(self.sizes),
        )

    def size_label(self, size: str) -> str:
        """``size`` with its words, for a select box: "Landscape 16:9 (like a TV) · 1536x864"."""
        label = self.size_labels.get(size)
        return f"{label} · {size}" if label and size != "auto" else (label or size)


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
    """Change the masked part of ``image`` (PNG) as ``prompt`` says, or follow the sketch in ``markup``."""

    image: bytes
    #: What to change (see the module doc). ``None`` only when ``markup`` guides the edit instead.
    mask: bytes | None
    prompt: str
    model: str
    size: str | None = None
    n: int = 1
    quality: str = "auto"
    seed: int | None = None
    student_prompt: str = ""
    #: A sketch that guides the edit, for models with ``can_sketch`` (never together with ``mask``):
    #: an RGBA PNG at the picture's size, fully transparent where nothing was drawn.
    markup: bytes | None = None

    def required_mask(self) -> bytes:
        """The mask, for engines that only edit with one (the studio checks this before calling)."""
        if self.mask is None:
            raise BadInput("Paint over the part of the picture you want to change first.")
        return self.mask

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


__all__ = [
    "Capabilities",
    "EditRequest",
    "Engine",
    "EngineStatus",
    "FinishedProgress",
    "GenerateRequest",
    "GeneratedImage",
    "Operation",
    "Progress",
    "VaryRequest",
]
