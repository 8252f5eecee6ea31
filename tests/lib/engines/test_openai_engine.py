"""The OpenAI and Azure engines through the real openai SDK, over HTTP, against the fake server."""

from __future__ import annotations

import importlib.machinery
import io
import json
import sys
import threading
import types
from collections.abc import Callable

import pytest
from PIL import Image

from lib.engines.base import EditRequest, GenerateRequest, VaryRequest
from lib.engines.openai_engine import create_azure_engine, create_openai_engine
from lib.errors import BadInput, EngineUnavailable, NotConfigured
from lib.settings import Settings
from lib.studio import Studio
from tests.fake_openai import TEST_AZURE_KEY, TEST_OPENAI_KEY, FakeOpenAI, colour_for


def png_bytes(size: tuple[int, int], colour: str = "red", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


# -- generate --------------------------------------------------------------------------------------


def test_generate_gpt_image_decodes_base64_without_response_format(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    images = engine.generate(
        GenerateRequest(
            prompt="a red bus", model="gpt-image-2", size="1536x1024", n=2, quality="high", safety_identifier="s-42"
        )
    )

    assert len(images) == 2
    sent = fake_openai.calls("images/generations")[0]
    assert "response_format" not in sent.json
    assert sent.json["n"] == 2 and sent.json["quality"] == "high" and sent.json["safety_identifier"] == "s-42"
    assert "user" not in sent.json
    assert sent.key == TEST_OPENAI_KEY
    for i, image in enumerate(images):
        img = opened(image.png)
        assert img.format == "PNG" and img.size == (1536, 1024) and image.size == "1536x1024"
        assert img.getpixel((0, 0)) == colour_for("a red bus", i)
        assert image.engine == "openai" and image.model == "gpt-image-2" and image.operation == "generate"
        assert image.prompt_sent == "a red bus"


def test_auto_quality_is_omitted_and_auto_size_records_the_real_size(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    [image] = engine.generate(GenerateRequest(prompt="a kite", model="gpt-image-1", size="auto"))
    assert "quality" not in fake_openai.calls()[0].json
    assert image.size == "1024x1024"


@pytest.mark.parametrize("mode", ["url", "data_url"])
def test_url_answers_are_downloaded_and_normalised(fake_openai: FakeOpenAI, mode: str) -> None:
    fake_openai.response_mode = mode  # type: ignore[assignment]
    engine = create_openai_engine(fake_openai.settings())
    images = engine.generate(GenerateRequest(prompt="a fox", model="gpt-image-1", size="1024x1024", n=2))
    assert [opened(i.png).getpixel((5, 5)) for i in images] == [colour_for("a fox", 0), colour_for("a fox", 1)]
    downloads = [r for r in fake_openai.requests if r.endpoint == "files"]
    assert len(downloads) == (2 if mode == "url" else 0)
    # The key goes to the API only, never to the download host.
    assert all("authorization" not in {k.lower() for k in r.headers} for r in downloads)


def test_url_download_over_the_size_cap_is_refused(fake_openai: FakeOpenAI) -> None:
    fake_openai.response_mode = "url"
    engine = create_openai_engine(fake_openai.settings(url_download_max_bytes=100))
    with pytest.raises(EngineUnavailable, match="too big"):
        engine.generate(GenerateRequest(prompt="a fox", model="gpt-image-1", size="1024x1024"))


def test_dalle3_asks_for_base64_keeps_the_revised_prompt_and_style(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    [image] = engine.generate(
        GenerateRequest(prompt="a lighthouse", model="dall-e-3", size="1792x1024", quality="hd", style="natural")
    )
    sent = fake_openai.calls()[0].json
    assert sent["response_format"] == "b64_json" and sent["style"] == "natural" and sent["quality"] == "hd"
    assert image.revised_prompt == "A detailed picture of a lighthouse"
    assert image.size == "1792x1024"


def test_one_image_per_call_model_fans_out_concurrently(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.3
    engine = create_openai_engine(fake_openai.settings())
    seen: list[tuple[int, int, str]] = []

    images = engine.generate(
        GenerateRequest(prompt="a castle", model="dall-e-3", size="1024x1024", n=4),
        progress=lambda done, total: seen.append((done, total, threading.current_thread().name)),
    )

    calls = fake_openai.calls("images/generations")
    assert len(images) == 4 and len(calls) == 4
    assert all(c.json["n"] == 1 for c in calls)
    # Every call arrived before the first one was answered: they really ran side by side.
    assert max(c.started for c in calls) < min(c.finished for c in calls)
    assert [(d, t) for d, t, _ in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert {name for _, _, name in seen} == {threading.current_thread().name}


def test_one_call_for_many_images_still_reports_progress(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    seen: list[tuple[int, int]] = []
    engine.generate(
        GenerateRequest(prompt="a boat", model="gpt-image-2", size="1024x1024", n=3),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert fake_openai.count() == 1 and seen == [(3, 3)]


# -- edit and vary ---------------------------------------------------------------------------------


def test_edit_sends_multipart_with_an_rgba_mask_alpha_zero_where_the_app_mask_is_white(
    fake_openai: FakeOpenAI,
) -> None:
    engine = create_openai_engine(fake_openai.settings())
    app_mask = Image.new("L", (96, 64), 0)
    app_mask.paste(255, (0, 0, 48, 64))  # change the left half
    out = io.BytesIO()
    app_mask.save(out, format="PNG")

    [image] = engine.edit(
        EditRequest(image=png_bytes((96, 64)), mask=out.getvalue(), prompt="add a hat", model="gpt-image-1")
    )

    call = fake_openai.calls("images/edits")[0]
    assert call.fields["prompt"] == "add a hat" and call.fields["model"] == "gpt-image-1"
    assert opened(call.files["image"]).size == (96, 64)
    mask = opened(call.files["mask"])
    assert mask.format == "PNG" and mask.mode == "RGBA" and mask.size == (96, 64)
    alpha = mask.getchannel("A")
    assert alpha.getpixel((10, 10)) == 0 and alpha.getpixel((47, 63)) == 0
    assert alpha.getpixel((48, 0)) == 255 and alpha.getpixel((95, 63)) == 255
    assert image.operation == "edit" and image.size == "96x64"


def test_edit_mask_of_another_size_is_fitted_to_the_image(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    engine.edit(
        EditRequest(image=png_bytes((80, 80)), mask=png_bytes((20, 20), "white", "L"), prompt="x", model="gpt-image-1")
    )
    mask = opened(fake_openai.calls("images/edits")[0].files["mask"])
    assert mask.size == (80, 80) and mask.getchannel("A").getextrema() == (0, 0)


def test_vary_on_gpt_image_is_an_edit_without_mask_and_needs_a_prompt(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    images = engine.vary(VaryRequest(image=png_bytes((64, 64)), model="gpt-image-1", n=2, prompt="in winter"))
    call = fake_openai.calls("images/edits")[0]
    assert "mask" not in call.files and call.fields["prompt"] == "in winter" and call.fields["n"] == "2"
    assert [i.operation for i in images] == ["vary", "vary"]
    with pytest.raises(BadInput, match="describe"):
        engine.vary(VaryRequest(image=png_bytes((64, 64)), model="gpt-image-1", prompt="  "))
    assert fake_openai.count() == 1


def test_dalle2_vary_uses_the_variations_endpoint_with_a_square(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    images = engine.vary(VaryRequest(image=png_bytes((120, 80)), model="dall-e-2", n=2, size="256x256"))
    call = fake_openai.calls("images/variations")[0]
    assert opened(call.files["image"]).size == (80, 80)
    assert call.fields["response_format"] == "b64_json" and "prompt" not in call.fields
    assert [i.size for i in images] == ["256x256", "256x256"]


def test_dalle3_cannot_edit(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings())
    with pytest.raises(BadInput):
        engine.edit(
            EditRequest(image=png_bytes((8, 8)), mask=png_bytes((8, 8), "white", "L"), prompt="x", model="dall-e-3")
        )
    assert fake_openai.count() == 0


# -- Azure -----------------------------------------------------------------------------------------


def test_azure_routes_to_the_deployment_with_api_version_and_key_header(fake_openai: FakeOpenAI) -> None:
    engine = create_azure_engine(fake_openai.azure_settings("school-images"))
    assert engine.models() == ["school-images"]
    engine.generate(GenerateRequest(prompt="a bridge", model="school-images", size="1024x1024"))
    engine.edit(
        EditRequest(
            image=png_bytes((32, 32)), mask=png_bytes((32, 32), "white", "L"), prompt="snow", model="school-images"
        )
    )
    gen, edit = fake_openai.calls()
    assert gen.path == "/openai/deployments/school-images/images/generations"
    assert edit.path == "/openai/deployments/school-images/images/edits"
    assert gen.query["api-version"] == ["2025-04-01-preview"] == edit.query["api-version"]
    assert gen.headers["api-key"] == TEST_AZURE_KEY and "response_format" not in gen.json


def test_azure_capabilities_follow_the_deployment_name() -> None:
    engine = create_azure_engine(Settings(azure_deployment="my-dalle3"))
    assert engine.capabilities("my-dalle3").images_per_call == 1
    caps = engine.capabilities("images-prod")
    assert caps.can_edit and caps.max_prompt_chars == 32000
    assert not engine.capabilities("dalle2-old").can_vary  # Azure never had variations


# -- configuration, models, capabilities -----------------------------------------------------------


def test_status_without_keys_says_what_to_set_without_network() -> None:
    openai_status = create_openai_engine(Settings()).status()
    assert not openai_status.configured
    assert "OPENAI_API_KEY" in openai_status.how_to_configure and ".env" in openai_status.how_to_configure
    azure_status = create_azure_engine(Settings(azure_endpoint="https://x.openai.azure.com")).status()
    assert not azure_status.configured
    for name in ("AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_KEY"):
        assert name in azure_status.how_to_configure
    assert "AZURE_OPENAI_ENDPOINT" not in azure_status.how_to_configure


def test_entra_id_without_azure_identity_says_to_install_it() -> None:
    try:
        import azure.identity  # noqa: F401

        pytest.skip("azure-identity is installed here")
    except ImportError:
        pass
    settings = Settings(azure_endpoint="https://x.openai.azure.com", azure_deployment="d", azure_use_entra_id=True)
    status = create_azure_engine(settings).status()
    assert not status.configured and "pip install azure-identity" in status.how_to_configure
    with pytest.raises(NotConfigured, match="azure-identity"):
        create_azure_engine(settings).generate(GenerateRequest(prompt="x", model="d", size="1024x1024"))


def test_entra_id_sends_the_token_from_azure_identity(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for the azure-identity package (not installed here): records the scope asked for.
    scopes: list[str] = []
    identity = types.ModuleType("azure.identity")
    identity.__spec__ = importlib.machinery.ModuleSpec("azure.identity", None)
    identity.DefaultAzureCredential = object  # type: ignore[attr-defined]

    def get_bearer_token_provider(credential: object, scope: str) -> Callable[[], str]:
        scopes.append(scope)
        return lambda: "entra-token-123"

    identity.get_bearer_token_provider = get_bearer_token_provider  # type: ignore[attr-defined]
    azure = types.ModuleType("azure")
    azure.__spec__ = importlib.machinery.ModuleSpec("azure", None, is_package=True)
    azure.identity = identity  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "azure", azure)
    monkeypatch.setitem(sys.modules, "azure.identity", identity)

    settings = fake_openai.azure_settings("pics", azure_api_key=None, azure_use_entra_id=True)
    engine = create_azure_engine(settings)
    assert engine.status().configured
    engine.generate(GenerateRequest(prompt="a map", model="pics", size="1024x1024"))
    call = fake_openai.calls()[0]
    assert call.headers["authorization"] == "Bearer entra-token-123" and "api-key" not in call.headers
    assert scopes == ["https://ai.azure.com/.default"]  # the scope of the current docs, by default


def test_configured_status_never_shows_the_key(fake_openai: FakeOpenAI) -> None:
    status = create_openai_engine(fake_openai.settings()).status()
    assert status.configured and TEST_OPENAI_KEY not in repr(status)


def test_models_put_the_configured_one_first_and_dedupe() -> None:
    engine = create_openai_engine(Settings(openai_model="my-model", openai_models="gpt-image-2.5-flare, gpt-image-2,"))
    assert engine.models() == [
        "my-model",
        "gpt-image-2.5-flare",
        "gpt-image-2",
        "gpt-image-2.5-sunburst",
        "gpt-image-2.6-flare",
        "gpt-image-2.6-sunburst",
    ]


def test_capabilities_per_family() -> None:
    engine = create_openai_engine(Settings())
    gpt = engine.capabilities("some-new-model")
    assert gpt.sizes == ("1024x1024", "1536x1024", "1024x1536", "auto") and gpt.images_per_call == 10
    assert gpt.vary_needs_prompt and not gpt.has_seed and gpt.qualities == ("auto", "low", "medium", "high")
    assert any("1 December 2026" in note for note in engine.capabilities("gpt-image-1-mini").notes)
    d3 = engine.capabilities("dall-e-3")
    assert d3.images_per_call == 1 and d3.max_prompt_chars == 4000 and d3.styles == ("vivid", "natural")
    assert not d3.can_edit and any("retired" in note for note in d3.notes)
    d2 = engine.capabilities("dall-e-2")
    assert d2.sizes == ("256x256", "512x512", "1024x1024") and d2.max_prompt_chars == 1000 and d2.can_vary


# -- through the pipeline --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"prompt": "   "}, "empty"),
        ({"prompt": "x" * 4001, "model": "dall-e-3", "size": "1024x1024"}, "at most 4,000"),
        ({"size": "640x480", "model": "some-new-model"}, "cannot make 640x480"),
        ({"size": "640x480"}, "too few or too many pixels"),
        ({"size": "1000x1000"}, "multiple of 16"),
        ({"size": "3840x1024"}, "long and thin"),
        ({"size": "4096x2304"}, "too big"),
        ({"n": 11}, "1 to 10"),
        ({"n": 0}, "1 to 10"),
    ],
)
def test_bad_input_is_caught_before_any_http_call(
    fake_openai: FakeOpenAI, changes: dict[str, object], match: str
) -> None:
    args: dict[str, object] = {"prompt": "a tree", "engine": "openai", "model": "gpt-image-2", "size": "1024x1024"}
    args.update(changes)
    with pytest.raises(BadInput, match=match):
        Studio(fake_openai.settings()).generate(**args)  # type: ignore[arg-type]
    assert fake_openai.count() == 0


def test_pipeline_result_metadata_has_no_key(fake_openai: FakeOpenAI) -> None:
    result = Studio(fake_openai.settings()).generate(
        prompt="a tree", engine="openai", model="gpt-image-2", size="1024x1024", n=2
    )
    assert len(result.images) == 2
    text = json.dumps([i.metadata() for i in result.images])
    assert TEST_OPENAI_KEY not in text and "a tree" in text
