"""Typed text shown through Markdown reads exactly as typed (rendered with a real CommonMark parser)."""

from __future__ import annotations

import html

import pytest
from markdown_it import MarkdownIt

from lib.ui.text import md

RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.mark.parametrize(
    "typed",
    [
        "![t](http://host/x.png)",
        "[click me](javascript:alert(1))",
        "**bold** _it_ `code` ~~gone~~",
        "<img src=x onerror=alert(1)> <b>hi</b>",
        "# heading\n- list\n1. one",
        "a :red[red] word costs $5 and $10 :smile:",
        "back\\slash & &amp; entity | table | row",
        "a dog next to the Eiffel Tower",
        "see http://host/x.png or www.example.com, OPENAI_API_KEY and _under_ 2. (fine)",
        "1. first - then + more = all",
        "> quoted",
    ],
)
def test_markdown_shows_the_letters_typed(typed: str) -> None:
    rendered = RENDER.render(md(typed))
    assert "<img" not in rendered and "<a " not in rendered and "<strong" not in rendered
    assert "<h1" not in rendered and "<li" not in rendered and "<code" not in rendered
    text = html.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n"))
    assert text == " ".join(typed.split())
