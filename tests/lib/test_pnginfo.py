"""The settings written into each PNG: round trip, foreign files, and no key ever."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image, PngImagePlugin

from lib import pnginfo
from lib.errors import BadInput
from tests.lib.store.workers import make_image, tiny_png


def test_round_trip_keeps_every_field_and_the_pixels() -> None:
    image = make_image("a castle on a hill, 日本の城", seed=42)
    png = pnginfo.embed(image.png, {**image.metadata(), "page": "create"})

    record = pnginfo.read_settings(png)

    assert record is not None
    for name, value in image.metadata().items():
        assert record[name] == value, name
    assert record["page"] == "create"
    with Image.open(io.BytesIO(png)) as im, Image.open(io.BytesIO(image.png)) as original:
        assert im.tobytes() == original.tobytes()
        # Other tools (Pillow, A1111-style readers) see the chunks too.
        assert json.loads(im.text["edu4all"])["prompt_typed"] == "a castle on a hill, 日本の城"
        assert im.text["parameters"].startswith("A friendly picture: a castle")
        assert "Seed: 42" in im.text["parameters"]


def test_embedding_twice_replaces_rather_than_stacks() -> None:
    image = make_image()
    once = pnginfo.embed(image.png, {"prompt_typed": "first"})
    twice = pnginfo.embed(once, {"prompt_typed": "second"})
    assert twice.count(b"iTXtedu4all") == 1
    record = pnginfo.read_settings(twice)
    assert record is not None and record["prompt_typed"] == "second"


def test_png_not_made_by_the_app_reads_as_none() -> None:
    assert pnginfo.read_settings(tiny_png()) is None
    # A PNG with someone else's text chunks (A1111's "parameters") is not ours either.
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", "a cat\nSteps: 20, Seed: 1")
    info.add_itxt("edu4all", "not json")
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG", pnginfo=info)
    assert pnginfo.read_settings(out.getvalue()) is None
    assert pnginfo.read_settings(b"GIF89a...") is None
    assert pnginfo.read_settings(b"") is None


def test_a_damaged_chunk_reads_as_none() -> None:
    png = bytearray(pnginfo.embed(tiny_png(), {"prompt_typed": "a dog"}))
    at = png.index(b"a dog")
    png[at] = ord("A")  # the CRC no longer matches
    assert pnginfo.read_settings(bytes(png)) is None
    assert pnginfo.read_settings(bytes(png[:40])) is None  # cut short


def test_embed_refuses_what_is_not_a_png() -> None:
    with pytest.raises(BadInput):
        pnginfo.embed(b"\xff\xd8\xff\xe0 jpeg", {})


def test_no_key_ever_lands_in_the_png() -> None:
    key = "sk-proj-" + "A1b2C3d4" * 6
    meta = {
        **make_image().metadata(),
        "api_key": key,
        "extra": {"openai_api_key": key, "Authorization": f"Bearer {key}", "token_count": 3, "drawn": ["fox"]},
        "prompt_typed": f"draw my {key} please",
    }
    png = pnginfo.embed(tiny_png(), meta)

    assert key.encode() not in png
    assert b"sk-proj" not in png
    record = pnginfo.read_settings(png)
    assert record is not None
    assert "api_key" not in record
    assert record["extra"] == {"drawn": ["fox"]}
    assert record["prompt_typed"] == "draw my [hidden] please"


def test_reading_scrubs_a_hand_made_file_too() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("edu4all", json.dumps({"app": "edu4all", "prompt_typed": "hi", "secret_key": "x" * 20}))
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG", pnginfo=info)
    assert pnginfo.read_settings(out.getvalue()) == {"app": "edu4all", "prompt_typed": "hi"}


def test_reusable_settings_keep_only_what_a_page_can_fill() -> None:
    record = {**make_image(seed=3).metadata(), "page": "create", "id": "abcdefgh"}
    assert pnginfo.reusable_settings(record) == {
        "prompt_typed": "a red fox",
        "engine": "storybook",
        "model": "storybook-1",
        "size": "256x256",
        "seed": 3,
        "temperature": 0.5,
        "quality": "auto",
    }


def _with_record(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt(pnginfo.CHUNK_KEYWORD, text)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def test_records_nested_deeper_than_ours_are_not_parsed() -> None:
    deep = '{"app": "edu4all", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert pnginfo.read_settings(_with_record(deep)) is None
    # Brackets inside strings do not count: a prompt may say "[[[[".
    assert pnginfo.read_settings(_with_record('{"app": "edu4all", "prompt_typed": "[[[[[[[[[[[[[[[[[[[["}')) == {
        "app": "edu4all",
        "prompt_typed": "[[[[[[[[[[[[[[[[[[[[",
    }


def test_reusable_settings_are_checked_and_clamped() -> None:
    record = {"prompt_typed": "a cat", "engine": "storybook", "model": "storybook-1", "size": "512x512",
              "seed": -5, "temperature": 7.5, "quality": "auto"}  # fmt: skip
    assert pnginfo.reusable_settings(record) == {**record, "seed": 0, "temperature": 1.0}
    assert pnginfo.reusable_settings({"seed": 2**40, "temperature": float("nan")}) == {"seed": pnginfo.MAX_SEED}
    wrong_kinds = {"prompt_typed": ["x"], "engine": {"a": 1}, "model": "<b>", "size": "huge", "seed": True,
                   "temperature": "hot"}  # fmt: skip
    assert pnginfo.reusable_settings(wrong_kinds) == {}
