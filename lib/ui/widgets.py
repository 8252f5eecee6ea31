"""Widgets shared by the pages: image cards, error boxes, the engine badge, progress."""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeVar

import streamlit as st

from lib.engines.base import Engine, GeneratedImage, Progress
from lib.errors import (
    AuthFailed,
    BadInput,
    Blocked,
    EngineUnavailable,
    NotConfigured,
    RateLimited,
    StoreUnavailable,
    StudioError,
)
from lib.ui.i18n import _, error_text, say
from lib.ui.text import alt, md

log = logging.getLogger(__name__)

_ICONS: dict[type[StudioError], str] = {
    Blocked: "🛡️",
    BadInput: "✏️",
    NotConfigured: "🔧",
    AuthFailed: "🔑",
    RateLimited: "⏳",
    EngineUnavailable: "📡",
    StoreUnavailable: "🗄️",
}


def show_error(error: StudioError) -> None:
    """Show a StudioError as a friendly box: warnings for things the student can fix."""
    icon = next((i for cls, i in _ICONS.items() if isinstance(error, cls)), "⚠️")
    words = md(error_text(error))  # a message may quote the student's words or a provider's reply
    if isinstance(error, Blocked) and error.urgent:
        # A child who may be at risk: a kind word, never a red box.
        st.info(words, icon="💛")
    elif isinstance(error, Blocked | BadInput | RateLimited):
        st.warning(words, icon=icon)
    else:
        st.error(words, icon=icon)


def store_unavailable(error: StoreUnavailable) -> None:
    """The whole page when the class's store cannot even be opened: what happened, who can fix it."""
    st.title("🎨 Edu4All Image Studio")
    st.error(error_text(error), icon="🗄️")
    st.caption(
        _(
            "Teachers: the database (STUDIO_DATABASE_URL) or the picture store (STUDIO_STORAGE_URL) does not "
            "answer. The server's log says which, and why."
        )
    )


def refused_owner_notice() -> None:
    """Say once that a gallery link was not recognised, and that a new gallery was started."""
    from lib.ui import state

    refused = st.session_state.pop(state.REFUSED_OWNER_KEY, None)
    if refused:
        st.warning(
            _(
                "This gallery link was not recognised (it may be mistyped, or from another studio), "
                "so a new, empty gallery was started for you. If you have the right link, open it again."
            ),
            icon="🔗",
        )


def engine_badge(engine: Engine, *, for_teacher: bool = False) -> None:
    """The sidebar's line about the engine in use.

    A student reads its name and whether it works; hosts, deployments and how to set it up are for
    the teacher (who unlocked the Teacher page).
    """
    status = engine.status()
    label = _(engine.label)
    if not for_teacher:
        if status.configured:
            st.success(_("**{engine}** is ready to draw.").format(engine=label), icon="✅")
        else:
            st.warning(_("**{engine}** is not set up yet. Ask your teacher.").format(engine=label), icon="🔧")
        return
    if status.configured:
        st.success(f"**{label}**: {say(status.summary)}", icon="✅")
    else:
        st.warning(f"**{label}**: {say(status.summary)}", icon="🔧")
        if status.how_to_configure:
            st.caption(say(status.how_to_configure))


@contextlib.contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    """Run a page: a StudioError becomes its message; anything else a kind sentence and a log entry.

    The student never sees a traceback or a server path; the server's log has the details, under a
    short code the student can tell the teacher. Streamlit's own stop and rerun signals are
    BaseExceptions and pass through.
    """
    try:
        yield
    except StudioError as error:
        show_error(error)
    except Exception:
        code = secrets.token_hex(3)
        log.exception("unexpected error on %s (code %s)", where, code)
        st.error(
            _(
                "Something went wrong on our side, sorry! Your pictures are safe. Try again, or choose another "
                "page. If it keeps happening, tell your teacher the code {code}."
            ).format(code=code),
            icon="🙈",
        )


def _file_name(image: GeneratedImage, index: int) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", (image.prompt_typed or image.prompt_sent).lower()).strip("-")
    return f"{words[:40] or 'image'}-{index + 1}.png"


def image_format(data: bytes) -> Literal["PNG", "JPEG", "auto"]:
    """The format ``data`` is already in, for ``st.image(output_format=...)``.

    With ``"auto"``, Streamlit turns every picture without an alpha channel into a JPEG, so a PNG
    was decoded and re-encoded on every rerun that showed it (measured: ~15 ms for 512 px).
    """
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    return "auto"


def image_card(image: GeneratedImage, *, key: str, index: int = 0, show_prompt: bool = True) -> None:
    """One picture with its download button and what made it."""
    st.image(image.png, width="stretch", alt=alt(image.prompt_typed or image.prompt_sent),
             output_format=image_format(image.png))  # fmt: skip
    st.download_button(
        "⬇️ " + _("Download"),
        data=image.png,
        file_name=_file_name(image, index),
        mime="image/png",
        key=f"{key}_download",
        width="stretch",
    )
    details = [f"{image.size}", image.model]
    if image.seed is not None:
        details.append(_("seed {seed}").format(seed=image.seed))
    if image.temperature is not None:
        details.append(_("randomness {value}").format(value=f"{image.temperature:g}"))
    st.caption(md(" · ".join(details)))
    if show_prompt:
        with st.expander(_("Prompt as sent")):
            st.text(image.prompt_sent)
            if image.revised_prompt:
                st.markdown("**" + _("The model rewrote it as:") + "**")
                st.text(image.revised_prompt)


def image_grid(images: Sequence[GeneratedImage], *, key: str, columns: int = 3) -> None:
    """Images in rows of ``columns`` cards."""
    for start in range(0, len(images), columns):
        cols = st.columns(columns)
        for offset, (col, image) in enumerate(zip(cols, images[start : start + columns], strict=False)):
            with col:
                image_card(image, key=f"{key}_{start + offset}", index=start + offset)


class _Reporter:
    """The progress bar, and a place where rough pictures replace each other while they are drawn.

    It is a :class:`lib.engines.base.PartialProgress`, so engines that stream hand it their partial
    pictures; it runs in the script's thread (engines call it there).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = st.progress(0.0, text=label)
        self.preview = st.empty()
        self.partials = 0

    def __call__(self, done: int, total: int) -> None:
        ready = _("{done} of {total} ready").format(done=done, total=total)
        self.bar.progress(min(done / max(total, 1), 1.0), text=f"{self.label} {ready}")

    def partial(self, index: int, png: bytes) -> None:
        self.partials += 1
        still = _("still drawing (sketch {n})").format(n=self.partials)
        self.bar.progress(0.0, text=f"{self.label} {still}")
        self.preview.image(png, caption=_("Still drawing… this is not finished yet"), width=360)

    def remove(self) -> None:
        self.bar.empty()
        self.preview.empty()


def progress_reporter(label: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress bar and the callback that moves it (and shows partial pictures); call the second
    function to remove both."""
    reporter = _Reporter(label)
    return reporter, reporter.remove


_T = TypeVar("_T")


def run_with_progress(label: str, call: Callable[[Progress], _T]) -> _T | None:
    """Run ``call(progress)`` under a progress bar; show a StudioError and return None on failure.

    While an engine streams, its rough pictures appear under the bar, each replacing the one
    before; they go when the final pictures are ready (or the call fails).
    """
    update, done = progress_reporter(label)
    try:
        return call(update)
    except StudioError as error:
        show_error(error)
        return None
    finally:
        done()


def likeness_chart(data: dict[str, list[float]], x: str, y: str, titles: tuple[str, str] | None = None) -> None:
    """A line chart of how alike pictures are, its y axis fitted to the values.

    Scores sit close together (0.9 to 1.0: pictures share their sky and ground), so an axis from
    0 would draw a flat line and hide the very drop the chart is there to show. ``titles`` name the
    axes on screen (in the student's language); ``x`` and ``y`` are the data's own keys.
    """
    x_title, y_title = titles or (x, y)
    import altair as alt  # Streamlit's own charting dependency

    chart = (
        alt.Chart(alt.Data(values=[{x: a, y: b} for a, b in zip(data[x], data[y], strict=True)]))  # type: ignore[no-untyped-call]
        .mark_line(point=True)
        .encode(x=alt.X(f"{x}:Q", title=x_title), y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)))
    )
    st.altair_chart(chart, width="stretch")
