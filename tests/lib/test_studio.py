"""The pipeline itself: order of the steps, what reaches the engine, what is saved."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from lib.engines.base import Capabilities, GeneratedImage
from lib.errors import BadInput, Blocked, StudioError
from lib.rules import TeacherRules
from lib.settings import Settings
from lib.studio import Studio, validate_count
from tests.fake_openai import FakeOpenAI
from tests.helpers import options_for

GEN = "images/generations"


class Saved:
    """A history double that remembers what the Studio saved (the real store has its own tests)."""

    def __init__(self) -> None:
        self.rows: list[tuple[GeneratedImage, str, str]] = []

    def save(self, image: GeneratedImage, *, owner: str, page: str) -> str:
        self.rows.append((image, owner, page))
        return f"id{len(self.rows)}"


def offline(tmp_path: Path, rules: TeacherRules | None = None, saved: Saved | None = None) -> Studio:
    settings = Settings(engine="storybook", data_dir=tmp_path)
    return Studio(settings, save=saved.save if saved else None, **options_for(settings, rules or TeacherRules()))


def test_every_image_is_saved_with_its_owner_page_and_typed_prompt(tmp_path: Path) -> None:
    saved = Saved()
    result = offline(tmp_path, saved=saved).generate(
        prompt="  three cats on a beach  ",
        engine="storybook",
        model="storybook-1",
        size="256x256",
        n=3,
        seed=4,
        owner="owner-123",
        page="compare",
    )
    assert result.ids == ["id1", "id2", "id3"]
    assert [(owner, page) for _, owner, page in saved.rows] == [("owner-123", "compare")] * 3
    assert all(img.prompt_typed == "three cats on a beach" for img, _, _ in saved.rows)
    assert [img.png for img in result.images] == [img.png for img, _, _ in saved.rows]


def test_metaprompt_goes_only_to_models_that_read_instructions(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    rules = TeacherRules(metaprompt="Draw it for young children, friendly and bright.")
    images = (
        offline(tmp_path, rules)
        .generate(prompt="a red car", engine="storybook", model="storybook-1", size="256x256", seed=1)
        .images
    )
    assert images[0].prompt_sent == "a red car"  # a collage would draw the teacher's words otherwise

    settings = fake_openai.settings(data_dir=tmp_path)
    hosted = Studio(settings, **options_for(settings, rules.with_changes(moderation=False)))
    sent = hosted.generate(prompt="a red car", engine="openai", model="gpt-image-2", size="1024x1024").images[0]
    wire = fake_openai.calls("images/generations")[0].json["prompt"]
    assert wire == sent.prompt_sent
    assert wire.startswith("Draw it for young children") and wire.rstrip().endswith('a red car\n"""')


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prompt": ""}, "empty"),
        ({"size": "300x300"}, "cannot make 300x300"),
        ({"n": 0}, "1 to"),
        ({"n": 99}, "1 to"),
        ({"temperature": 1.5}, "between 0 and 1"),
        ({"quality": "ultra"}, "Quality"),
        ({"prompt": "x" * 5000}, "at most"),
    ],
)
def test_bad_requests_are_refused_before_anything_is_saved(tmp_path: Path, changes: dict, message: str) -> None:
    saved = Saved()
    request = {"prompt": "a dog", "engine": "storybook", "model": "storybook-1", "size": "256x256", **changes}
    with pytest.raises(BadInput, match=message):
        offline(tmp_path, saved=saved).generate(**request)
    assert saved.rows == []


def test_teachers_per_request_limit_is_applied(tmp_path: Path) -> None:
    studio = offline(tmp_path, TeacherRules(max_images_per_request=2))
    with pytest.raises(BadInput, match="1 to 2"):
        studio.generate(prompt="a dog", engine="storybook", model="storybook-1", size="256x256", n=3)


def test_hourly_quota_counts_hosted_pictures_per_student(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    rules = TeacherRules(max_images_per_hour=3, moderation=False)
    settings = fake_openai.settings(data_dir=tmp_path)
    hosted = Studio(settings, **options_for(settings, rules))
    args = {"prompt": "a dog", "engine": "openai", "model": "gpt-image-2", "size": "1024x1024"}
    hosted.generate(**args, n=2, owner="alice-0001")
    with pytest.raises(Blocked) as caught:
        hosted.generate(**args, n=2, owner="alice-0001")
    assert caught.value.stage == "rate limit"
    assert fake_openai.count("images/generations") == 1  # the refused request never left
    hosted.generate(**args, n=2, owner="bobby-0002")  # another student has their own allowance

    # The offline engine costs nothing: the same student may go on playing with it.
    offline(tmp_path, rules).generate(
        prompt="a dog", engine="storybook", model="storybook-1", size="256x256", n=4, owner="alice-0001"
    )


def test_hosted_requests_carry_an_anonymous_abuse_id(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    settings = fake_openai.settings(data_dir=tmp_path)
    hosted = Studio(settings, **options_for(settings, TeacherRules(moderation=False)))
    for owner in ("alice-0001", "alice-0001", "bobby-0002"):
        hosted.generate(prompt="a kite", engine="openai", model="gpt-image-2", size="1024x1024", owner=owner)
    sent = [call.json["safety_identifier"] for call in fake_openai.calls(GEN)]
    assert not any("user" in call.json for call in fake_openai.calls(GEN))  # deprecated since openai 3.x
    assert sent[0] == sent[1] != sent[2]  # stable per browser, different between browsers
    assert all("alice" not in user and "bobby" not in user for user in sent)


def test_refused_prompt_is_never_saved(tmp_path: Path) -> None:
    saved = Saved()
    with pytest.raises(Blocked):
        offline(tmp_path, saved=saved).generate(
            prompt="a pile of bloody g0re", engine="storybook", model="storybook-1", size="256x256"
        )
    assert saved.rows == []


def test_the_key_never_reaches_the_logs(
    fake_openai: FakeOpenAI, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.fake_openai import TEST_OPENAI_KEY

    settings = fake_openai.settings(data_dir=tmp_path)
    studio = Studio(settings, **options_for(settings, TeacherRules()))
    caplog.set_level(logging.DEBUG)  # everything, the SDK's and httpx's debug lines included
    studio.generate(prompt="a kite", engine="openai", model="gpt-image-2", size="1024x1024")
    fake_openai.fail(401, f"Incorrect API key provided: {TEST_OPENAI_KEY}", "invalid_api_key", endpoint=GEN)
    with pytest.raises(StudioError):
        studio.generate(prompt="a kite", engine="openai", model="gpt-image-2", size="1024x1024")
    assert caplog.records, "the run logged nothing: the check would be empty"
    assert TEST_OPENAI_KEY not in caplog.text


def test_a_count_over_the_teachers_limit_blames_the_teacher_not_the_model() -> None:
    caps = Capabilities(sizes=("512x512",), max_images=8, images_per_call=8, max_prompt_chars=100)
    with pytest.raises(BadInput, match="your teacher allows up to 4"):
        validate_count(8, caps, limit=4)
    with pytest.raises(BadInput, match="this model makes up to 8"):
        validate_count(9, caps, limit=10)
