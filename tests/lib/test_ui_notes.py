"""The engine's notes in words: today's sentences and words, and the coded notes to come."""

from __future__ import annotations

from lib.ui.notes import WORDS, explanations


def test_todays_storybook_extra_is_put_into_words() -> None:
    extra = {"not_drawn": ["grandma's", "lagos"], "notes": ["At most 6 of one thing are drawn."]}
    assert explanations([extra]) == [
        "The storybook engine does not know how to draw these words yet: 'grandma's', 'lagos'.",
        "At most 6 of one thing are drawn.",
    ]


def test_coded_notes_are_put_into_words_once() -> None:
    coded = {
        "not_drawn": ["happier"],
        "notes": [{"code": "not_drawn", "words": ["happier"]}, {"code": "edit_unchanged"}],
    }
    said = explanations([coded, coded])
    assert said == [WORDS["not_drawn"].format(words="'happier'"), WORDS["edit_unchanged"]]


def test_unknown_codes_show_their_text_or_nothing() -> None:
    extra = {"notes": [{"code": "new_thing", "text": "A new thing happened."}, {"code": "silent"}, 42, ""]}
    assert explanations([extra]) == ["A new thing happened."]
