"""Coverage on prompts a child would type: tuned (read while broadening the lexicon) and held out."""

from __future__ import annotations

import pytest

from tests.lib.engines.storybook.coverage import measure

TARGETS = {"en_tuned": 0.95, "en_heldout": 0.95}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_things_named_are_drawn_and_placed(name: str) -> None:
    result = measure(name)
    assert result.named >= 100
    assert result.share >= TARGETS[name], f"{result.drawn}/{result.named}:\n" + "\n".join(result.misses)
