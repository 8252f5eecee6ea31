"""The file name a picture downloaded from the gallery gets (lib.pictures.download_name)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from lib.errors import BadInput
from lib.pictures import download_name

#: 1 Dec 2026, 23:47:45 UTC.
LATE = dt.datetime(2026, 12, 1, 23, 47, 45, tzinfo=dt.UTC).timestamp()
ID = "4cfQMN6yHbIkfMTs"


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("un chat sur la tour Eiffel", f"un-chat-sur-la-tour-eiffel_2026-12-01_{ID}.png"),
        ("Ein Bär, ÜBER dem Fluß!", f"ein-bar-uber-dem-flu_2026-12-01_{ID}.png"),  # accents dropped, ASCII only
        ("../../etc/passwd", f"etc-passwd_2026-12-01_{ID}.png"),  # no folders, no dots
        ("一只猫在埃菲尔铁塔上", f"picture_2026-12-01_{ID}.png"),  # nothing Latin left: a plain word instead
        ("   ", f"picture_2026-12-01_{ID}.png"),
        (
            "a very long description of a castle with dragons and knights and a moat",
            f"a-very-long-description-of-a-castle-with_2026-12-01_{ID}.png",  # cut at a word's end
        ),
        ("x" * 90, f"{'x' * 40}_2026-12-01_{ID}.png"),
    ],
)
def test_the_name_says_what_the_picture_shows_and_when_with_its_id(words: str, name: str) -> None:
    assert download_name(words, LATE, ID) == name
    assert name.isascii()


def test_the_day_is_the_viewers_own_and_the_id_keeps_names_apart() -> None:
    assert download_name("a cat", LATE, ID, ZoneInfo("Asia/Kolkata")) == f"a-cat_2026-12-02_{ID}.png"
    assert download_name("a cat", LATE, ID) != download_name("a cat", LATE, "anotherPicture01")
    with pytest.raises(BadInput):
        download_name("a cat", LATE, "../x")
