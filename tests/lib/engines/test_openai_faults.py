"""Every fault of issue 2's list, through the real SDK and the fake server, becomes a friendly StudioError.

Each test also checks that the key was really sent and then appears in no message and no detail.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest

from lib.engines.base import GenerateRequest
from lib.engines.openai_engine import OpenAIEngine, create_azure_engine, create_openai_engine
from lib.errors import AuthFailed, BadInput, Blocked, EngineUnavailable, RateLimited, StudioError
from tests.fake_openai import TEST_AZURE_KEY, TEST_OPENAI_KEY, FakeOpenAI, Fault


def run(engine: OpenAIEngine, model: str = "gpt-image-2", size: str = "1024x1024", n: int = 1) -> StudioError:
    """Generate and return the StudioError raised (the test fails if none is)."""
    with pytest.raises(StudioError) as info:
        engine.generate(GenerateRequest(prompt="a dragon", model=model, size=size, n=n))
    return info.value


def assert_no_key(error: StudioError, *keys: str) -> None:
    for key in keys or (TEST_OPENAI_KEY, TEST_AZURE_KEY):
        for text in (str(error), error.message, error.detail or "", repr(error)):
            assert key not in text
            assert key[8:20] not in text  # not even a slice of it
    assert "Traceback" not in str(error)


@pytest.fixture
def openai_engine(fake_openai: FakeOpenAI) -> Iterator[OpenAIEngine]:
    engine = create_openai_engine(fake_openai.settings())
    yield engine
    engine.close()


@pytest.fixture
def azure_engine(fake_openai: FakeOpenAI) -> Iterator[OpenAIEngine]:
    engine = create_azure_engine(fake_openai.azure_settings("images-prod"))
    yield engine
    engine.close()


def test_401_is_auth_failed_and_never_echoes_the_key(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(401, f"Incorrect API key provided: {TEST_OPENAI_KEY}.", "invalid_api_key")
    error = run(openai_engine)
    assert type(error) is AuthFailed and "OPENAI_API_KEY" in str(error)
    assert fake_openai.calls()[0].key == TEST_OPENAI_KEY
    assert_no_key(error)


def test_403_organization_verification_is_auth_failed(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(403, "Your organization must be verified to use the model `gpt-image-2`.", None)
    error = run(openai_engine)
    assert type(error) is AuthFailed and "verified" in str(error)
    assert_no_key(error)


def test_403_without_access_names_the_model(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(403, "You are not allowed to use this model.", "model_access_denied")
    error = run(openai_engine)
    assert type(error) is AuthFailed and "gpt-image-2" in str(error) and "another model" in str(error)


def test_404_model_not_found_for_dalle_says_retired_and_what_to_use(
    fake_openai: FakeOpenAI, openai_engine: OpenAIEngine
) -> None:
    fake_openai.fail(404, "The model `dall-e-3` does not exist or you do not have access to it.", "model_not_found")
    error = run(openai_engine, model="dall-e-3")
    assert type(error) is EngineUnavailable
    assert "dall-e-3" in str(error) and "retired" in str(error) and "gpt-image-2" in str(error)
    assert_no_key(error)


def test_404_model_not_found_for_another_name(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(404, "The model `gpt-image-9` does not exist.", "model_not_found")
    error = run(openai_engine, model="gpt-image-9")
    assert type(error) is EngineUnavailable and "gpt-image-9" in str(error) and "retired" not in str(error)


def test_400_moderation_blocked_is_blocked_by_the_provider(
    fake_openai: FakeOpenAI, openai_engine: OpenAIEngine
) -> None:
    fake_openai.fail(
        400,
        "Your request was rejected by the safety system.",
        "moderation_blocked",
        type_="image_generation_user_error",
        moderation_details={"moderation_stage": "input", "categories": ["x"]},
    )
    error = run(openai_engine)
    assert isinstance(error, Blocked) and error.stage == "provider"
    assert "safety rules" in str(error) and "different words" in str(error)
    assert_no_key(error)


def test_400_content_policy_violation_is_blocked(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(400, "Your request was rejected as a result of our safety system.", "content_policy_violation")
    assert isinstance(run(openai_engine, model="dall-e-3"), Blocked)


def test_old_dalle_refusal_without_code_is_blocked(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(400, "Your request was rejected as a result of our safety system.", None)
    assert isinstance(run(openai_engine), Blocked)


def test_azure_400_content_filter_is_blocked(fake_openai: FakeOpenAI, azure_engine: OpenAIEngine) -> None:
    fake_openai.fail(
        400,
        "Your task failed as a result of our safety system.",
        "contentFilter",
        inner_error={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_results": {"violence": {"filtered": True, "severity": "high"}},
        },
    )
    error = run(azure_engine, model="images-prod")
    assert isinstance(error, Blocked) and error.stage == "provider"
    assert fake_openai.calls()[0].headers["api-key"] == TEST_AZURE_KEY
    assert_no_key(error)


def test_azure_chat_style_content_filter_spelling_is_blocked(
    fake_openai: FakeOpenAI, azure_engine: OpenAIEngine
) -> None:
    fake_openai.fail(
        400, "The response was filtered.", "content_filter", innererror={"code": "ResponsibleAIPolicyViolation"}
    )
    assert isinstance(run(azure_engine, model="images-prod"), Blocked)


def test_azure_deployment_not_found(fake_openai: FakeOpenAI, azure_engine: OpenAIEngine) -> None:
    fake_openai.fail(404, "The API deployment for this resource does not exist.", "DeploymentNotFound")
    error = run(azure_engine, model="images-prod")
    assert type(error) is EngineUnavailable and "AZURE_OPENAI_DEPLOYMENT" in str(error)
    assert_no_key(error)


def test_azure_dalle_deployment_not_found_says_to_deploy_gpt_image(fake_openai: FakeOpenAI) -> None:
    engine = create_azure_engine(fake_openai.azure_settings("dalle3"))
    fake_openai.fail(404, "The API deployment for this resource does not exist.", "DeploymentNotFound")
    error = run(engine, model="dalle3")
    assert "retired" in str(error) and "gpt-image" in str(error)


def test_other_400_is_bad_input_with_the_providers_reason(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(400, f"Invalid size '1024x1024' for key {TEST_OPENAI_KEY}", "invalid_value")
    error = run(openai_engine)
    assert type(error) is BadInput and "Invalid size" in str(error)
    assert_no_key(error)


@pytest.mark.parametrize(
    ("headers", "seconds", "words"),
    [({"Retry-After": "7"}, 7.0, "7 seconds"), ({"retry-after-ms": "2500"}, 2.5, "2 seconds"), ({}, None, "a minute")],
)
def test_429_is_rate_limited_with_retry_after(
    fake_openai: FakeOpenAI, openai_engine: OpenAIEngine, headers: dict[str, str], seconds: float | None, words: str
) -> None:
    fake_openai.fail(429, "Rate limit reached for images per minute.", "rate_limit_exceeded", headers=headers)
    error = run(openai_engine)
    assert isinstance(error, RateLimited) and error.retry_after == seconds and words in str(error)
    assert_no_key(error)


def test_500_is_engine_unavailable(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(500, "The server had an error while processing your request.", None, type_="server_error")
    error = run(openai_engine)
    assert type(error) is EngineUnavailable and "error 500" in str(error) and "on its side" in str(error)
    assert_no_key(error)


def test_timeout_says_it_took_too_long(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings(openai_timeout=0.5))
    fake_openai.add_fault(Fault(kind="hang"))
    error = run(engine)
    assert type(error) is EngineUnavailable and "too long" in str(error) and "0.5 seconds" in str(error)
    assert_no_key(error)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_says_it_could_not_connect(fake_openai: FakeOpenAI) -> None:
    engine = create_openai_engine(fake_openai.settings(openai_base_url=f"http://127.0.0.1:{_closed_port()}/v1"))
    error = run(engine)
    assert type(error) is EngineUnavailable and "could not connect" in str(error)
    assert_no_key(error)


def test_dropped_connection_says_it_could_not_connect(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.add_fault(Fault(kind="close"))
    error = run(openai_engine)
    assert type(error) is EngineUnavailable and "could not connect" in str(error)


def test_malformed_json_says_the_answer_was_unreadable(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.add_fault(Fault(kind="malformed"))
    error = run(openai_engine)
    assert type(error) is EngineUnavailable and "could not read" in str(error)
    assert_no_key(error)


def test_not_a_picture_is_engine_unavailable(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.add_fault(Fault(status=200, body={"created": 1, "data": [{"b64_json": "aGVsbG8="}]}))
    error = run(openai_engine)
    assert type(error) is EngineUnavailable and "not a picture" in str(error)


def test_url_download_failure(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.response_mode = "broken_url"
    error = run(openai_engine)
    assert type(error) is EngineUnavailable and "could not download" in str(error)
    assert [r.endpoint for r in fake_openai.requests] == ["images/generations", "files"]
    assert_no_key(error)


def test_a_fault_in_one_fanned_out_call_fails_the_request(fake_openai: FakeOpenAI, openai_engine: OpenAIEngine) -> None:
    fake_openai.fail(500, "boom", None)
    error = run(openai_engine, model="dall-e-3", n=3)
    assert type(error) is EngineUnavailable and "error 500" in str(error)


def test_retries_follow_the_setting(fake_openai: FakeOpenAI) -> None:
    # One 500 then success: with one retry (Retry-After 0 keeps it quick) the student gets the image.
    engine = create_openai_engine(fake_openai.settings(openai_max_retries=1))
    fake_openai.fail(500, "flaky", None, headers={"retry-after-ms": "1"})
    images = engine.generate(GenerateRequest(prompt="a dragon", model="gpt-image-2", size="1024x1024"))
    assert len(images) == 1 and fake_openai.count() == 2


ERROR_CASES: list[Callable[[FakeOpenAI], None]] = [
    lambda f: f.fail(401, "bad key", "invalid_api_key"),
    lambda f: f.fail(429, "slow down", None, headers={"Retry-After": "1"}),
    lambda f: f.fail(400, "nope", "moderation_blocked"),
]


@pytest.mark.parametrize("program", ERROR_CASES)
def test_errors_keep_their_class_through_the_pipeline(
    fake_openai: FakeOpenAI, program: Callable[[FakeOpenAI], None]
) -> None:
    from lib.studio import Studio

    program(fake_openai)
    with pytest.raises(StudioError) as info:
        Studio(fake_openai.settings()).generate(
            prompt="a dragon", engine="openai", model="gpt-image-2", size="1024x1024"
        )
    assert isinstance(info.value, AuthFailed | RateLimited | Blocked)
    assert_no_key(info.value)
