"""After a reload (a fresh session with the same ``?u=``), each page shows its last results again."""

from __future__ import annotations

from pathlib import Path

from lib.pictures import new_owner_id
from lib.settings import load_settings
from lib.studio import Studio
from tests.helpers import pictures_in
from tests.pages.edit_helpers import offline_app, open_page, results, source_png, texts

__all__ = ["offline_app"]  # the fixture, imported for pytest


def _studio(data_dir: Path) -> Studio:
    return Studio(load_settings(dotenv_path=None), save=pictures_in(data_dir).save)


def test_create_shows_the_last_batch_after_a_reload(offline_app: Path) -> None:
    owner, studio = new_owner_id(), _studio(offline_app)
    kw = {"engine": "storybook", "model": "storybook-1", "size": "256x256", "owner": owner, "page": "create"}
    studio.generate(prompt="an old batch of boats", n=2, seed=1, **kw)  # type: ignore[arg-type]
    last = studio.generate(prompt="a red kite", n=3, seed=2, temperature=1.0, **kw)  # type: ignore[arg-type]
    studio.generate(prompt="a lighthouse", n=1, owner=owner, engine="storybook", model="storybook-1",
                    size="256x256", page="compare")  # fmt: skip

    at = open_page("pages/create.py", owner=owner)  # a new session: nothing kept in it yet

    assert at.session_state["create_results"] == last.ids
    assert at.text_area(key="create_prompt").value == "a red kite"  # and the words that made them
    assert [img.prompt_typed for img in results(at, "create_results")] == ["a red kite"] * 3
    assert sum(1 for img in at.image if img.proto.imgs) >= 3


def test_a_new_gallery_has_nothing_to_bring_back(offline_app: Path) -> None:
    at = open_page("pages/create.py")
    assert "create_results" not in at.session_state
    assert not at.exception


def test_variations_come_back_beside_the_picture_they_started_from(offline_app: Path) -> None:
    owner = new_owner_id()
    at = open_page("pages/variations.py", session={"create_results": []}, owner=owner)
    at.session_state["vary_from"] = "Upload a picture"
    at.run()
    at.file_uploader(key="vary_upload").upload("cat.png", source_png(), "image/png")
    at.run()
    next(b for b in at.button if b.label == "🔀 Make variations").click().run()
    made = at.session_state["vary_results"]
    assert len(made) == 3 and not at.exception

    again = open_page("pages/variations.py", owner=owner)  # reload: the upload is gone, the gallery is not
    assert again.session_state["vary_results"] == made
    assert "Your variations" not in texts(again)  # the newest picture is chosen, not the one they came from
    again.session_state["vary_from"] = "Upload a picture"
    again.run()
    again.file_uploader(key="vary_upload").upload("cat.png", source_png(), "image/png")
    again.run()
    assert "Your variations" in texts(again)  # the same picture again: its variations are back
