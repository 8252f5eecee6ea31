"""Compare: several columns of pictures that differ in one setting, made at the same time, measured.

A comparison is a list of :class:`ColumnSpec` (built by :func:`build_columns` from one varying
setting: randomness, prompt, quality, model, or nothing at all). :func:`run_columns` sends every
column through :meth:`lib.studio.Studio.generate` at once, in worker threads, so the teacher's
rules, the safety layers and the history apply to every picture. Progress is reported from the
caller's thread (Streamlit elements must never be touched from a worker). Each column gets a
score of how alike its pictures are (:mod:`lib.similarity`).

:func:`sweep` is the X/Y plot of the lesson's claim: one column per randomness value from 0 to 1,
same seed and prompt, and :func:`chart_data` turns it into points for a chart.
"""

from __future__ import annotations

import logging
import queue
import secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

from lib import similarity
from lib.engines.base import Engine, GeneratedImage, Progress
from lib.errors import BadInput, StudioError
from lib.messages import N_, Msg
from lib.pictures import COLUMN, EXPERIMENT, new_image_id
from lib.studio import Studio

log = logging.getLogger(__name__)

Axis = Literal["temperature", "prompt", "quality", "model", "repeat"]

#: What the page calls each axis.
AXIS_LABELS: dict[Axis, str] = {
    "temperature": N_("Randomness"),
    "prompt": N_("Words (prompt A against prompt B)"),
    "quality": N_("Quality"),
    "model": N_("Model"),
    "repeat": N_("Nothing: the same request again"),
}
#: The sweep's randomness values, as in the lesson's question "what does temperature do?".
SWEEP_TEMPERATURES: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)
MIN_COLUMNS, MAX_COLUMNS = 2, 4
MIN_IMAGES, MAX_IMAGES = 2, 6
#: Largest seed the storybook and diffusion engines take (a positive 31-bit integer).
MAX_SEED = 2**31 - 1
#: The column labels below, which a run keeps in English in its pictures' metadata: the gallery
#: says them again in the student's language (``lib.ui.i18n.again``).
COLUMN_LABELS = (
    "{letter}: randomness {value}", "{letter}: prompt {letter}", "{letter}: quality {value}", "{letter}: run {n}",
    "randomness {value}",
)  # fmt: skip

#: Scores a batch of PNGs: 1.0 when all are identical, lower as they differ.
Scorer = Callable[[Sequence[bytes]], float]


@dataclass(frozen=True, kw_only=True)
class ColumnSpec:
    """One column: everything one ``Studio.generate`` call needs besides engine, owner and n."""

    label: str
    prompt: str
    model: str
    size: str
    quality: str = "auto"
    temperature: float | None = None
    seed: int | None = None


@dataclass(frozen=True, kw_only=True)
class ColumnResult:
    """What one column made, or the error that stopped it (the other columns still show)."""

    spec: ColumnSpec
    images: list[GeneratedImage]
    ids: list[str]
    #: How alike the column's pictures are, 0..1 (``None`` when there is nothing to measure).
    score: float | None = None
    error: StudioError | None = None
    elapsed_s: float = 0.0

    @property
    def seed(self) -> int | None:
        """The seed the engine really used (engines without seeds: ``None``)."""
        seeds = [img.seed for img in self.images if img.seed is not None]
        return seeds[0] if seeds else self.spec.seed


def without_pictures(results: Sequence[ColumnResult]) -> list[ColumnResult]:
    """What a page keeps in the session: specs, scores, errors and gallery ids, not the PNGs
    (the pictures are on disk; a class server must not hold every student's pictures in memory)."""
    return [replace(r, images=[], spec=replace(r.spec, seed=r.seed)) for r in results]


def applicable_axes(engine: Engine, model: str) -> list[Axis]:
    """The settings worth comparing on this engine and model (no randomness without seeds)."""
    caps = engine.capabilities(model)
    axes: list[Axis] = []
    if caps.has_seed:
        axes.append("temperature")
    axes.append("prompt")
    if len(caps.qualities) > 1:
        axes.append("quality")
    if len(engine.models()) > 1:
        axes.append("model")
    axes.append("repeat")
    return axes


def new_seed() -> int:
    """A fresh seed for a comparison, so that every column starts from the same draw."""
    return secrets.randbelow(MAX_SEED) + 1


def build_columns(
    axis: Axis,
    values: Sequence[float | str],
    *,
    engine: Engine,
    prompt: str,
    model: str,
    size: str,
    quality: str = "auto",
    temperature: float | None = None,
    seed: int | None = None,
) -> list[ColumnSpec]:
    """One :class:`ColumnSpec` per value of ``axis``; everything else is the same in every column.

    On engines with seeds, a missing ``seed`` is drawn once here and shared by all columns, so the
    only difference between them is the setting that varies. A model that cannot make ``size``
    falls back to its own first size.
    """
    if not MIN_COLUMNS <= len(values) <= MAX_COLUMNS:
        raise BadInput(
            "Compare {least} to {most} columns (you asked for {n}).",
            params={"least": MIN_COLUMNS, "most": MAX_COLUMNS, "n": len(values)}, code="compare_columns",
        )  # fmt: skip
    caps = engine.capabilities(model)
    if axis == "temperature" and not caps.has_seed:
        raise BadInput(
            "{engine} has no randomness setting. Compare prompts or quality instead.",
            params={"engine": Msg(engine.label)},
            code="compare_no_randomness",
        )
    if caps.has_seed and seed is None:
        seed = new_seed()
    base = ColumnSpec(
        label="",
        prompt=prompt,
        model=model,
        size=size,
        quality=quality,
        temperature=temperature if caps.has_seed else None,
        seed=seed if caps.has_seed else None,
    )
    columns: list[ColumnSpec] = []
    for index, value in enumerate(values):
        letter = "ABCD"[index]
        if axis == "temperature":
            t = float(value)
            columns.append(
                replace(base, label=Msg("{letter}: randomness {value}", letter=letter, value=f"{t:g}"), temperature=t)
            )
        elif axis == "prompt":
            columns.append(replace(base, label=Msg("{letter}: prompt {letter}", letter=letter), prompt=str(value)))
        elif axis == "quality":
            columns.append(
                replace(
                    base, label=Msg("{letter}: quality {value}", letter=letter, value=str(value)), quality=str(value)
                )
            )
        elif axis == "model":
            name = str(value)
            col_caps = engine.capabilities(name)
            col_size = size if size in col_caps.sizes else col_caps.sizes[0]
            col_quality = quality if quality in col_caps.qualities else col_caps.qualities[0]
            col_seed = base.seed if col_caps.has_seed else None
            col_t = base.temperature if col_caps.has_seed else None
            columns.append(
                replace(
                    base,
                    label=f"{letter}: {name}",
                    model=name,
                    size=col_size,
                    quality=col_quality,
                    seed=col_seed,
                    temperature=col_t,
                )
            )
        else:
            columns.append(replace(base, label=Msg("{letter}: run {n}", letter=letter, n=index + 1)))
    return columns


def _score(images: Sequence[GeneratedImage], scorer: Scorer) -> float | None:
    if len(images) < 2:
        return None
    try:
        return scorer([img.png for img in images])
    except (OSError, ValueError):
        # The score is a bonus: a picture the measure cannot read must not hide the pictures.
        log.warning("could not measure how alike %d pictures are", len(images), exc_info=True)
        return None


def run_columns(
    studio: Studio,
    columns: Sequence[ColumnSpec],
    *,
    engine: str,
    n: int,
    owner: str = "anonymous",
    page: str = "compare",
    progress: Progress | None = None,
    scorer: Scorer | None = None,
) -> list[ColumnResult]:
    """Make every column at once; results come back in the order of ``columns``.

    ``progress(done, total)`` counts pictures across all columns and is called only from the
    caller's thread: workers post their progress to a queue that this thread drains. A
    :class:`StudioError` in one column becomes that column's ``error``; the others still finish.
    Every picture keeps the run's experiment id and its column's label in its ``extra``, so the
    gallery shows the whole run as one folded experiment.
    """
    if not MIN_IMAGES <= n <= MAX_IMAGES:
        raise BadInput(
            "Each column can have {least} to {most} pictures (you asked for {n}).",
            params={"least": MIN_IMAGES, "most": MAX_IMAGES, "n": n},
            code="compare_pictures",
        )
    score = scorer or similarity.batch_similarity
    total = n * len(columns)
    # (column index, pictures done in that column, finished?)
    events: queue.SimpleQueue[tuple[int, int, bool]] = queue.SimpleQueue()
    experiment = new_image_id()

    def run(index: int, spec: ColumnSpec) -> ColumnResult:
        started = time.perf_counter()
        try:
            result = studio.generate(
                prompt=spec.prompt,
                engine=engine,
                model=spec.model,
                size=spec.size,
                n=n,
                quality=spec.quality,
                seed=spec.seed,
                temperature=spec.temperature,
                owner=owner,
                page=page,
                progress=lambda done, _total: events.put((index, done, False)),
                tags={EXPERIMENT: experiment, COLUMN: spec.label},
            )
            return ColumnResult(
                spec=spec,
                images=result.images,
                ids=result.ids,
                score=_score(result.images, score),
                elapsed_s=time.perf_counter() - started,
            )
        except StudioError as error:
            return ColumnResult(spec=spec, images=[], ids=[], error=error, elapsed_s=time.perf_counter() - started)
        finally:
            # Posted even when an unexpected exception escapes, so the caller never waits for ever.
            events.put((index, n, True))

    done_per_column = [0] * len(columns)
    finished = 0
    with ThreadPoolExecutor(max_workers=len(columns), thread_name_prefix="compare") as pool:
        futures = [pool.submit(run, index, spec) for index, spec in enumerate(columns)]
        while finished < len(columns):
            index, done, is_final = events.get()
            done_per_column[index] = max(done_per_column[index], min(done, n))
            finished += is_final
            if progress:
                progress(sum(done_per_column), total)
        # .result() re-raises anything that is not a StudioError (a bug should not hide).
        return [future.result() for future in futures]


def sweep(
    studio: Studio,
    *,
    engine: str,
    prompt: str,
    model: str,
    size: str,
    n: int,
    seed: int | None = None,
    temperatures: Sequence[float] = SWEEP_TEMPERATURES,
    owner: str = "anonymous",
    progress: Progress | None = None,
    scorer: Scorer | None = None,
) -> list[ColumnResult]:
    """One row per randomness value (same prompt, same seed), all made at once: the X/Y plot."""
    eng = studio.engine(engine)
    caps = eng.capabilities(model)
    if not caps.has_seed:
        raise BadInput(
            "{engine} has no randomness setting, so there is nothing to sweep.",
            params={"engine": Msg(eng.label)},
            code="sweep_no_randomness",
        )
    seed = seed or new_seed()
    rows = [
        ColumnSpec(
            label=Msg("randomness {value}", value=f"{t:g}"),
            prompt=prompt,
            model=model,
            size=size,
            temperature=t,
            seed=seed,
        )
        for t in temperatures
    ]
    # The sweep has more rows than a comparison has columns, so it bypasses build_columns' limit.
    return run_columns(studio, rows, engine=engine, n=n, owner=owner, page="compare", progress=progress, scorer=scorer)


def chart_data(results: Sequence[ColumnResult]) -> dict[str, list[float]]:
    """Points for a chart of how alike the pictures are against randomness (rows that failed are left out)."""
    points = [(r.spec.temperature, r.score) for r in results if r.spec.temperature is not None and r.score is not None]
    return {"Randomness": [t for t, _ in points], "How alike (1 = identical)": [s for _, s in points]}
