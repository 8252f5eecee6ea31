"""The hosted engines as they are in December 2026 (issue 15), through the real SDK and the fake server:
streaming with partial pictures, a cut stream, one deadline per request, safety_identifier, any-size
shapes, sketch-guided edits (markup), Azure's v1 and deployments APIs, Entra ID, usage, error hooks."""

from __future__ import annotations

import importlib.machinery
import io
import json
import logging
import sys
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from lib import imaging, pnginfo
from lib.engines.base import EditRequest, GeneratedImage, GenerateRequest
from lib.engines.openai_engine import CUT_OFF_MESSAGE, create_azure_engine, create_openai_engine
from lib.engines.openai_models import SHUT_DOWN, suggest_instead
from lib.errors import BadInput, Blocked, EngineUnavailable, NotConfigured, RateLimited, StudioError
from lib.settings import Settings
from lib.store import Store
from lib.store.pictures import Pictures
from lib.studio import Studio, abuse_id
from tests.fake_openai import TEST_AZURE_KEY, TEST_OPENAI_KEY, FakeOpenAI, Fault, colour_for

GEN = "images/generations"


class Watcher:
    """A progress callback that can show partial pictures (a PartialProgress)."""

    def __init__(self) -> None:
        self.partials: list[tuple[int, bytes]] = []
        self.done: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.done.append((done, total))

    def partial(self, index: int, png: bytes) -> None:
        self.partials.append((index, png))


def png_bytes(size: tuple[int, int], colour: Any = "red", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def studio_with_history(settings: Settings, tmp_path: Path, **options: Any) -> tuple[Studio, Pictures]:
    history = Store.embedded(tmp_path).pictures
    return Studio(settings, save=history.save, **options), history


# -- streaming -------------------------------------------------------------------------------------


def test_streaming_reports_two_partial_pictures_then_saves_only_the_final_one(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    studio, history = studio_with_history(fake_openai.settings(), tmp_path)
    watcher = Watcher()
    result = studio.generate(
        prompt="a lighthouse",
        engine="openai",
        model="gpt-image-2",
        size="1536x864",
        owner="student-0001",
        progress=watcher,
    )

    sent = fake_openai.calls(GEN)[0].json
    assert sent["stream"] is True and sent["partial_images"] == 2
    assert [index for index, _ in watcher.partials] == [0, 1]
    final_colour = colour_for(sent["prompt"], 0)
    partial_colours = [opened(png).getpixel((0, 0)) for _, png in watcher.partials]
    assert all(opened(png).size == (1536, 864) for _, png in watcher.partials)
    assert len(set(partial_colours)) == 2 and final_colour not in partial_colours
    assert watcher.done == [(1, 1)]
    [image] = result.images
    assert opened(image.png).getpixel((0, 0)) == final_colour and image.size == "1536x864"
    assert history.count("student-0001") == 1  # one row for the picture, none for its rough sketches


def test_edit_streams_too(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    watcher = Watcher()
    mask = png_bytes((64, 64), "white", "L")
    [image] = engine.edit(
        EditRequest(image=png_bytes((64, 64)), mask=mask, prompt="snow", model="gpt-image-2"), progress=watcher
    )
    call = fake_openai.calls("images/edits")[0]
    assert call.fields["stream"] == "true" and call.fields["partial_images"] == "2"
    assert len(watcher.partials) == 2 and image.size == "64x64"


def test_plain_progress_or_several_pictures_do_not_stream(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    engine.generate(GenerateRequest(prompt="a", model="gpt-image-2", size="1024x1024"), progress=lambda d, t: None)
    engine.generate(GenerateRequest(prompt="b", model="gpt-image-2", size="1024x1024", n=2), progress=Watcher())
    off = create_openai_engine(fake_openai.settings(openai_stream=False))
    off.generate(GenerateRequest(prompt="c", model="gpt-image-2", size="1024x1024"), progress=Watcher())
    assert ["stream" in call.json for call in fake_openai.calls(GEN)] == [False, False, False]


def test_a_server_that_cannot_stream_still_gives_the_picture(fake_openai: FakeOpenAI) -> None:
    fake_openai.can_stream = False  # it ignores stream=True and answers in one JSON piece
    watcher = Watcher()
    [image] = create_openai_engine(fake_openai.settings()).generate(
        GenerateRequest(prompt="a kite", model="gpt-image-2", size="1024x1024"), progress=watcher
    )
    assert fake_openai.calls(GEN)[0].json["stream"] is True and watcher.partials == []
    assert opened(image.png).getpixel((0, 0)) == colour_for("a kite", 0) and image.extra["usage"]["total"] > 0


@pytest.mark.parametrize("cut_after", [1, 2])
def test_a_stream_cut_midway_says_so_and_saves_nothing(fake_openai: FakeOpenAI, tmp_path: Path, cut_after: int) -> None:
    fake_openai.cut_stream_after = cut_after
    studio, history = studio_with_history(fake_openai.settings(), tmp_path)
    watcher = Watcher()
    with pytest.raises(EngineUnavailable) as caught:
        studio.generate(
            prompt="a kite",
            engine="openai",
            model="gpt-image-2",
            size="1024x1024",
            owner="student-0002",
            progress=watcher,
        )
    assert str(caught.value) == CUT_OFF_MESSAGE and "Traceback" not in str(caught.value)
    assert len(watcher.partials) == cut_after  # the rough pictures did arrive...
    assert history.count("student-0002") == 0  # ...but nothing half-made was kept


# -- the deadline ----------------------------------------------------------------------------------


def test_a_hanging_server_gives_the_message_within_the_deadline_plus_two_seconds(fake_openai: FakeOpenAI) -> None:
    fake_openai.add_fault(Fault(kind="hang", times=-1))
    deadline = 1.5
    settings = fake_openai.settings(openai_deadline_s=deadline, openai_timeout=10.0, openai_max_retries=2)
    engine = create_openai_engine(settings)
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as caught:
        engine.generate(GenerateRequest(prompt="a dragon", model="gpt-image-2", size="1024x1024"))
    elapsed = time.monotonic() - started
    print(f"deadline {deadline:g} s: message after {elapsed:.2f} s")
    assert elapsed <= deadline + 2.0
    assert "taking too long" in str(caught.value) and "90" not in str(caught.value)
    # No attempt started after the deadline.
    assert all(call.started <= started + deadline for call in fake_openai.calls())
    engine.close()


def test_a_retry_after_beyond_the_deadline_is_not_waited_for(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(429, "slow down", "rate_limit_exceeded", headers={"retry-after": "30"}, times=-1)
    engine = create_openai_engine(fake_openai.settings(openai_deadline_s=3.0, openai_max_retries=2))
    started = time.monotonic()
    with pytest.raises(RateLimited):
        engine.generate(GenerateRequest(prompt="a dragon", model="gpt-image-2", size="1024x1024"))
    assert time.monotonic() - started < 3.0 and fake_openai.count() == 1


def test_retries_still_happen_inside_the_deadline(fake_openai: FakeOpenAI) -> None:
    fake_openai.fail(500, "oops", times=1)
    engine = create_openai_engine(fake_openai.settings(openai_deadline_s=30.0, openai_max_retries=2))
    [image] = engine.generate(GenerateRequest(prompt="a dragon", model="gpt-image-2", size="1024x1024"))
    assert fake_openai.count() == 2 and image.size == "1024x1024"


# -- request bodies --------------------------------------------------------------------------------


def test_the_body_carries_safety_identifier_and_no_user(fake_openai: FakeOpenAI) -> None:
    Studio(fake_openai.settings()).generate(
        prompt="a boat", engine="openai", model="gpt-image-2", size="1024x1024", owner="alice-0001"
    )
    body = fake_openai.calls(GEN)[0].json
    assert body["safety_identifier"] == abuse_id("alice-0001") and "alice" not in body["safety_identifier"]
    assert "user" not in body


@pytest.mark.parametrize("size", ["1536x864", "864x1536", "1920x640", "2048x1152"])
def test_any_size_shapes_are_sent_as_asked(fake_openai: FakeOpenAI, size: str) -> None:
    result = Studio(fake_openai.settings()).generate(
        prompt="the Eiffel Tower", engine="openai", model="gpt-image-2.5-flare", size=size
    )
    assert fake_openai.calls(GEN)[0].json["size"] == size
    assert result.images[0].size == size


def test_shapes_have_words_a_child_understands_and_25_has_more_qualities() -> None:
    engine = create_openai_engine(Settings())
    caps = engine.capabilities("gpt-image-2")
    assert caps.sizes[:4] == ("1024x1024", "1536x864", "864x1536", "1920x640")
    assert {"1024x1024", "1536x1024", "1024x1536"} <= set(caps.sizes)
    assert caps.size_label("1536x864").startswith("Landscape 16:9")
    assert all(caps.size_problem(size) is None for size in caps.sizes)
    assert "xhigh" not in caps.qualities and not caps.can_sketch
    flare = engine.capabilities("gpt-image-2.5-flare-2026-09-08")
    assert flare.qualities[-2:] == ("xhigh", "max") and flare.can_sketch
    assert engine.capabilities("gpt-image-2.6-sunburst").size_problem("1536x864") is not None


def test_quality_xhigh_is_sent_on_25(fake_openai: FakeOpenAI) -> None:
    Studio(fake_openai.settings()).generate(
        prompt="a fox", engine="openai", model="gpt-image-2.5-sunburst", size="1024x1024", quality="xhigh"
    )
    assert fake_openai.calls(GEN)[0].json["quality"] == "xhigh"
    with pytest.raises(BadInput):
        Studio(fake_openai.settings()).generate(
            prompt="a fox", engine="openai", model="gpt-image-2", size="1024x1024", quality="max"
        )
    assert fake_openai.count() == 1


# -- sketch-guided edits ---------------------------------------------------------------------------


def _sketch(size: tuple[int, int]) -> bytes:
    """A canvas drawing: transparent, with one opaque blue stroke in the top-left quarter."""
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    img.paste((20, 60, 230, 255), (0, 0, size[0] // 4, size[1] // 4))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_markup_is_sent_as_a_png_of_the_pictures_size_transparent_where_nothing_was_drawn(
    fake_openai: FakeOpenAI,
) -> None:
    studio = Studio(fake_openai.settings())
    # The canvas works at display size (160x120); the picture is 320x240.
    result = studio.edit(
        image=png_bytes((320, 240)),
        mask=None,
        markup=_sketch((160, 120)),
        prompt="a blue balloon",
        engine="openai",
        model="gpt-image-2.5-flare",
    )
    call = fake_openai.calls("images/edits")[0]
    assert "mask" not in call.files and "input_fidelity" not in call.fields
    markup = opened(call.files["markup"])
    assert markup.format == "PNG" and markup.mode == "RGBA" and markup.size == (320, 240)
    assert markup.getpixel((10, 10))[3] == 255 and markup.getpixel((10, 10))[:3] == (20, 60, 230)
    assert markup.getpixel((300, 200))[3] == 0  # transparent where nothing was drawn
    assert result.images[0].operation == "edit"


def test_markup_and_mask_never_go_together_and_need_a_model_that_takes_markup(fake_openai: FakeOpenAI) -> None:
    studio = Studio(fake_openai.settings())
    args: dict[str, Any] = {"image": png_bytes((64, 64)), "prompt": "a hat", "engine": "openai"}
    mask = png_bytes((64, 64), "white", "L")
    with pytest.raises(BadInput, match="one of the two"):
        studio.edit(**args, mask=mask, markup=_sketch((64, 64)), model="gpt-image-2.5-flare")
    with pytest.raises(BadInput):
        studio.edit(**args, mask=None, markup=_sketch((64, 64)), model="gpt-image-2")
    with pytest.raises(BadInput, match="Paint"):
        studio.edit(**args, mask=None, model="gpt-image-2")
    engine = create_openai_engine(fake_openai.settings())
    with pytest.raises(BadInput, match="empty"):
        engine.edit(
            EditRequest(image=args["image"], mask=None, markup=png_bytes((64, 64), (0, 0, 0, 0), "RGBA"), prompt="x",
                        model="gpt-image-2.5-flare")
        )  # fmt: skip
    assert fake_openai.count() == 0


def test_input_fidelity_only_where_the_model_takes_it(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings(openai_base_url=fake_openai.base_url))
    mask = png_bytes((32, 32), "white", "L")
    for model in ("gpt-image-2", "gpt-image-1.5"):
        engine.edit(EditRequest(image=png_bytes((32, 32)), mask=mask, prompt="x", model=model))
    plain, fidelity = fake_openai.calls("images/edits")
    assert "input_fidelity" not in plain.fields and fidelity.fields["input_fidelity"] == "high"


# -- models ----------------------------------------------------------------------------------------


def test_no_shut_down_model_is_offered_on_openai_but_a_compatible_server_keeps_configured_names() -> None:
    openai_engine = create_openai_engine(Settings(openai_model="gpt-image-1", openai_models="dall-e-3,gpt-image-1.5"))
    offered = openai_engine.models()
    assert offered[0] == "gpt-image-2" and not set(offered) & set(SHUT_DOWN)
    local = create_openai_engine(Settings(openai_model="dall-e-3", openai_base_url="http://127.0.0.1:9/v1"))
    assert local.models()[0] == "dall-e-3"


@pytest.mark.parametrize("model", ["gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-2.5-flare", "gpt-image-1"])
def test_model_not_found_suggests_another_model(fake_openai: FakeOpenAI, model: str) -> None:
    fake_openai.fail(404, f"The model `{model}` does not exist.", "model_not_found")
    with pytest.raises(EngineUnavailable) as caught:
        create_openai_engine(fake_openai.settings()).generate(GenerateRequest(prompt="x", model=model, size="auto"))
    suggestion = suggest_instead(model)
    assert suggestion in str(caught.value) and not suggestion.startswith(f"{model} ")
    assert suggestion.split(" ")[0] != model.removesuffix("-2026-04-21")


# -- Azure -----------------------------------------------------------------------------------------


def test_azure_v1_uses_the_plain_client_with_the_deployment_as_model(fake_openai: FakeOpenAI) -> None:
    engine = create_azure_engine(fake_openai.azure_settings("school-images", azure_api_version="v1"))
    assert "v1 API" in engine.status().summary
    engine.generate(GenerateRequest(prompt="a bridge", model="school-images", size="1024x1024"))
    engine.edit(
        EditRequest(
            image=png_bytes((32, 32)), mask=png_bytes((32, 32), "white", "L"), prompt="x", model="school-images"
        )
    )
    gen, edit = fake_openai.calls()
    assert gen.path == "/openai/v1/images/generations" and edit.path == "/openai/v1/images/edits"
    assert gen.json["model"] == "school-images" and edit.fields["model"] == "school-images"
    assert "api-version" not in gen.query and gen.headers["authorization"] == f"Bearer {TEST_AZURE_KEY}"


def test_azure_default_is_v1_and_a_dated_version_keeps_the_deployments_api(fake_openai: FakeOpenAI) -> None:
    assert Settings().azure_v1 and not Settings(azure_api_version="2025-04-01-preview").azure_v1
    engine = create_azure_engine(fake_openai.azure_settings("old-images", azure_api_version="2024-10-21"))
    engine.generate(GenerateRequest(prompt="a bridge", model="old-images", size="1024x1024"))
    call = fake_openai.calls()[0]
    assert call.path == "/openai/deployments/old-images/images/generations"
    assert call.query["api-version"] == ["2024-10-21"] and call.headers["api-key"] == TEST_AZURE_KEY


def test_entra_id_with_an_injected_token_provider_on_v1(fake_openai: FakeOpenAI) -> None:
    settings = fake_openai.azure_settings("pics", azure_api_key=None, azure_use_entra_id=True, azure_api_version="v1")
    tokens = iter(["token-1", "token-2"])
    engine = create_azure_engine(settings, token_provider=lambda: next(tokens))
    assert engine.status().configured
    engine.generate(GenerateRequest(prompt="a map", model="pics", size="1024x1024"))
    call = fake_openai.calls()[0]
    assert call.headers["authorization"] == "Bearer token-1" and "api-key" not in call.headers


@pytest.fixture
def identity_scopes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A stand-in azure.identity (it may be absent here) that records the scopes asked for."""
    scopes: list[str] = []
    identity = types.ModuleType("azure.identity")
    identity.__spec__ = importlib.machinery.ModuleSpec("azure.identity", None)
    identity.DefaultAzureCredential = object  # type: ignore[attr-defined]

    def get_bearer_token_provider(credential: object, scope: str) -> Callable[[], str]:
        scopes.append(scope)
        return lambda: "entra-token"

    identity.get_bearer_token_provider = get_bearer_token_provider  # type: ignore[attr-defined]
    azure = types.ModuleType("azure")
    azure.__spec__ = importlib.machinery.ModuleSpec("azure", None, is_package=True)
    azure.identity = identity  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "azure", azure)
    monkeypatch.setitem(sys.modules, "azure.identity", identity)
    yield scopes


@pytest.mark.parametrize(
    ("configured", "expected"),
    [(None, "https://ai.azure.com/.default"), ("https://cognitiveservices.azure.com/.default",) * 2],
)
def test_entra_id_scope_is_configurable(
    fake_openai: FakeOpenAI, identity_scopes: list[str], configured: str | None, expected: str
) -> None:
    overrides: dict[str, Any] = {"azure_api_key": None, "azure_use_entra_id": True, "azure_api_version": "v1"}
    if configured:
        overrides["azure_entra_scope"] = configured
    engine = create_azure_engine(fake_openai.azure_settings("pics", **overrides))
    engine.generate(GenerateRequest(prompt="a map", model="pics", size="1024x1024"))
    assert identity_scopes == [expected]
    assert fake_openai.calls()[0].headers["authorization"] == "Bearer entra-token"


def test_azure_not_set_up_never_crashes_and_says_what_to_set() -> None:
    engine = create_azure_engine(Settings())
    assert engine.models() == []
    caps = engine.capabilities(None)  # what a page gets from an empty model list
    assert caps.can_edit and caps.size_label("1024x1024")
    assert imaging.rules_for("azure", None) is not None
    status = engine.status()
    assert not status.configured
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_KEY"):
        assert name in status.how_to_configure
    with pytest.raises(NotConfigured):
        engine.generate(GenerateRequest(prompt="x", model="", size="1024x1024"))
    with pytest.raises(NotConfigured):
        Studio(Settings()).generate(prompt="x", engine="azure", model=None, size="1024x1024")  # type: ignore[arg-type]


# -- errors: logged and counted --------------------------------------------------------------------


def test_errors_that_are_not_refusals_are_logged_and_handed_to_the_hook(
    fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[tuple[type[StudioError], dict[str, Any]]] = []
    studio = Studio(fake_openai.settings(), on_engine_error=lambda error, **kw: heard.append((type(error), kw)))
    args: dict[str, Any] = {"prompt": "a dog", "engine": "openai", "model": "gpt-image-2", "size": "1024x1024"}
    fake_openai.fail(500, f"boom {TEST_OPENAI_KEY}", headers={"x-request-id": "req_fake_500"})
    fake_openai.fail(400, "Your request was rejected by the safety system.", "moderation_blocked")
    with caplog.at_level(logging.WARNING, logger="lib.engines.openai_engine"):
        with pytest.raises(EngineUnavailable):
            studio.generate(**args, owner="s-9")
        with pytest.raises(Blocked):
            studio.generate(**args, owner="s-9")
    assert heard == [(EngineUnavailable, {"owner": "s-9", "page": "create", "engine": "openai"})]
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "InternalServerError" in logged and "status=500" in logged and "req_fake_500" in logged
    assert TEST_OPENAI_KEY not in logged and "moderation_blocked" not in logged


# -- usage -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
def test_usage_is_kept_with_the_picture_in_its_png_and_the_history(
    fake_openai: FakeOpenAI, tmp_path: Path, stream: bool
) -> None:
    studio, history = studio_with_history(fake_openai.settings(), tmp_path)
    result = studio.generate(
        prompt="a tiny red bus",
        engine="openai",
        model="gpt-image-2",
        size="1024x1024",
        owner="student-0003",
        progress=Watcher() if stream else None,
    )
    image: GeneratedImage = result.images[0]
    assert image.extra["usage"] == {"input": 3, "output": 272, "total": 275, "input_text": 3, "input_image": 0}
    [path] = (tmp_path / "images").rglob(f"{result.ids[0]}*.png")
    stored = pnginfo.read_settings(path.read_bytes())
    assert stored is not None and stored["extra"]["usage"]["total"] == 275
    assert json.dumps(stored).count(TEST_OPENAI_KEY) == 0
    assert history.count("student-0003") == 1
