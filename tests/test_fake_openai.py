"""The fake OpenAI server itself: moderations, multipart parsing, files, unknown paths, faults."""

from __future__ import annotations

import requests

from tests.fake_openai import FakeOpenAI, Fault


def test_moderation_flags_programmed_words_in_text_and_images(fake_openai: FakeOpenAI) -> None:
    url = f"{fake_openai.base_url}/moderations"
    clean = requests.post(
        url, json={"model": "omni-moderation-latest", "input": ["a cat", "a forbidden act"]}, timeout=5
    )
    assert [r["flagged"] for r in clean.json()["results"]] == [False, True]
    assert clean.json()["results"][1]["categories"]["violence"] is True

    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    body = {"input": [{"type": "text", "text": "a dog"}, image]}
    assert requests.post(url, json=body, timeout=5).json()["results"][0]["flagged"] is False
    fake_openai.flag_images = True
    result = requests.post(url, json=body, timeout=5).json()["results"][0]
    assert result["flagged"] is True and "image" in result["category_applied_input_types"]["violence"]
    assert fake_openai.count("moderations") == 3


def test_multipart_parts_are_kept_byte_for_byte(fake_openai: FakeOpenAI) -> None:
    awkward = b"\x89PNG\r\n\x1a\n--boundary-like\r\n\r\n\x00\xff" * 50
    response = requests.post(
        f"{fake_openai.base_url}/images/edits",
        data={"prompt": "é hat", "model": "gpt-image-1", "n": "1", "size": "256x256"},
        files={"image": ("image.png", awkward, "image/png"), "mask": ("mask.png", b"\r\nmask\r\n", "image/png")},
        timeout=5,
    )
    assert response.status_code == 200
    call = fake_openai.calls("images/edits")[0]
    assert call.files == {"image": awkward, "mask": b"\r\nmask\r\n"}
    assert call.fields["prompt"] == "é hat" and call.param("size") == "256x256"


def test_unknown_paths_and_missing_files_are_404(fake_openai: FakeOpenAI) -> None:
    assert requests.post(f"{fake_openai.base_url}/chat/completions", json={}, timeout=5).status_code == 404
    assert requests.get(f"{fake_openai.origin}/files/nothing.png", timeout=5).status_code == 404


def test_faults_are_used_up_in_order_and_can_target_an_endpoint(fake_openai: FakeOpenAI) -> None:
    url = f"{fake_openai.base_url}/images/generations"
    fake_openai.fail(503, "busy", None, times=2, endpoint="images/generations")
    fake_openai.add_fault(Fault(status=418, body={"error": {"message": "teapot"}}, endpoint="moderations"))
    body = {"prompt": "x", "size": "256x256"}
    codes = [requests.post(url, json=body, timeout=5).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert requests.post(f"{fake_openai.base_url}/moderations", json={"input": "x"}, timeout=5).status_code == 418


def test_azure_paths_record_deployment_and_api_version(fake_openai: FakeOpenAI) -> None:
    url = f"{fake_openai.azure_endpoint}/openai/deployments/pics/images/generations?api-version=2025-04-01-preview"
    assert requests.post(url, json={"prompt": "x", "size": "256x256"}, timeout=5).status_code == 200
    call = fake_openai.calls()[0]
    assert call.deployment == "pics" and call.query == {"api-version": ["2025-04-01-preview"]}
