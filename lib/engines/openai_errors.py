"""Turn every openai SDK exception into a friendly :class:`lib.errors.StudioError`.

The SDK puts the inner ``error`` object in ``e.body`` and reads ``e.code`` from it. OpenAI refuses
content with ``moderation_blocked`` (GPT image) or ``content_policy_violation`` (DALL-E), Azure with
``contentFilter`` (images) or ``content_filter`` plus an inner ``ResponsibleAIPolicyViolation``.
No message or detail built here may contain a key: every text goes through :func:`scrub`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import openai

from lib.engines.openai_models import is_dalle, shut_down, suggest_instead
from lib.errors import AuthFailed, BadInput, Blocked, EngineUnavailable, NotConfigured, RateLimited, StudioError
from lib.messages import N_, Msg
from lib.redact import redact

_REFUSAL_CODES = {"moderation_blocked", "content_policy_violation", "contentfilter", "content_filter"}

BLOCKED_MESSAGE = N_(
    "The picture service said no: its safety rules do not allow this picture. "
    "Please try different words and describe something else."
)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret, bearer token and key hidden (:func:`lib.redact.redact`)."""
    return redact(text, secrets)


def _field(body: object, *names: str) -> Any:
    if isinstance(body, Mapping):
        for name in names:
            if body.get(name) is not None:
                return body[name]
    return None


def _is_refusal(code: str | None, body: object, message: str) -> bool:
    if code and code.lower() in _REFUSAL_CODES:
        return True
    inner = _field(body, "inner_error", "innererror")
    if str(_field(inner, "code") or "").lower() == "responsibleaipolicyviolation":
        return True
    return "safety system" in message.lower()


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    lower = {k.lower(): v for k, v in headers.items()}
    raw_ms = lower.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = lower.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _missing_model(model: str, azure: bool) -> EngineUnavailable:
    if azure:
        if is_dalle(model):
            text = (
                f"The Azure deployment '{model}' is a DALL-E model, and DALL-E is retired on Azure. "
                f"Deploy a gpt-image model and set AZURE_OPENAI_DEPLOYMENT to its deployment name."
            )
        else:
            text = (
                f"Azure OpenAI has no deployment called '{model}'. Check AZURE_OPENAI_DEPLOYMENT: it must be "
                "the deployment name shown in the Azure AI Foundry portal."
            )
        return EngineUnavailable(text)
    instead = suggest_instead(model)
    if is_dalle(model) or shut_down(model) is not None:
        return EngineUnavailable(
            "The model {model} is retired and no longer works. Choose {instead} instead.",
            params={"model": model, "instead": instead},
            code="model_retired",
        )
    return EngineUnavailable(
        "The image service does not know the model '{model}'. Choose another model, for example {instead}.",
        params={"model": model, "instead": instead},
        code="model_unknown",
    )


def describe_for_log(exc: BaseException, secrets: Iterable[str]) -> str:
    """Class, HTTP status and request id of an SDK error, for the server's log (never a key)."""
    status = getattr(exc, "status_code", None)
    request_id = getattr(exc, "request_id", None)
    code = getattr(exc, "code", None)
    parts = [type(exc).__name__]
    if status is not None:
        parts.append(f"status={status}")
    if code:
        parts.append(f"code={code}")
    parts.append(f"request_id={request_id or '-'}")
    detail = getattr(exc, "detail", None)
    if isinstance(exc, StudioError) and detail:
        parts.append(f"detail={detail}")
    return scrub(" ".join(str(p) for p in parts), secrets)


def translate(
    exc: Exception,
    *,
    model: str,
    azure: bool,
    secrets: Iterable[str],
    timeout: float,
    deadline: float | None = None,
) -> StudioError:
    """The :class:`StudioError` for ``exc`` (an SDK or JSON error), friendly and key-free.

    ``deadline``: the request's deadline (seconds) when it has passed, which explains a timeout.
    """
    secrets = tuple(secrets)
    service = Msg("Azure OpenAI") if azure else Msg("The image service")
    the_service = Msg("Azure OpenAI") if azure else Msg("the image service")
    if isinstance(exc, StudioError):
        return exc
    if (
        deadline is not None
        and isinstance(exc, openai.APITimeoutError | openai.APIConnectionError)
        or (type(exc).__name__ == "DeadlinePassed")
    ):
        return EngineUnavailable(
            "{service} is taking too long (more than {seconds} seconds), so the studio stopped "
            "waiting. Nothing was saved. Please try again in a moment.",
            params={"service": service, "seconds": f"{deadline or timeout:g}"},
            code="deadline",
            detail=f"deadline passed: {type(exc).__name__}",
        )
    if isinstance(exc, openai.APITimeoutError):
        return EngineUnavailable(
            "{service} took too long to answer (more than {seconds} seconds). Please try again in a moment.",
            params={"service": service, "seconds": f"{timeout:g}"},
            code="timeout",
            detail="APITimeoutError",
        )
    if isinstance(exc, openai.APIConnectionError):
        cause = scrub(repr(exc.__cause__), secrets) if exc.__cause__ else ""
        return EngineUnavailable(
            "The studio could not connect to {service}. "
            "Check the internet connection and the endpoint setting, then try again.",
            params={"service": the_service},
            code="no_connection",
            detail=f"APIConnectionError {cause}".strip(),
        )
    if isinstance(exc, openai.APIResponseValidationError | ValueError):
        return EngineUnavailable(
            "{service} sent back an answer the studio could not read. Please try again.",
            params={"service": service},
            code="unreadable_answer",
            detail=scrub(f"{type(exc).__name__}: {exc}", secrets),
        )
    if isinstance(exc, openai.APIError) and not isinstance(exc, openai.APIStatusError):
        # An error event inside a streamed answer: the SDK raises a bare APIError with its body.
        code = exc.code if isinstance(exc.code, str) else None
        message = scrub(str(_field(exc.body, "message") or exc.message or ""), secrets)
        if _is_refusal(code, exc.body, message):
            return Blocked(BLOCKED_MESSAGE, stage="provider", detail=f"stream error code={code}")
        return EngineUnavailable(
            "{service} stopped while making the picture, so nothing was saved. Please try again.",
            params={"service": service},
            code="stream_stopped",
            detail=f"stream error code={code} message={message}",
        )
    if not isinstance(exc, openai.APIStatusError):
        if isinstance(exc, openai.OpenAIError):
            return NotConfigured(
                "{engine} is not set up correctly: {reason}",
                params={"engine": "Azure OpenAI" if azure else "OpenAI", "reason": scrub(str(exc), secrets)},
                code="set_up_wrong",
            )
        return EngineUnavailable(
            "Something went wrong while making the picture. Please try again.",
            detail=scrub(f"{type(exc).__name__}: {exc}", secrets),
        )

    status = exc.status_code
    body = exc.body
    code = exc.code if isinstance(exc.code, str) else None
    message = scrub(str(_field(body, "message") or exc.message or ""), secrets)
    detail = f"HTTP {status} code={code} request_id={exc.request_id or '-'} message={message}"

    if _is_refusal(code, body, message) and status in (400, 403, 422):
        return Blocked(BLOCKED_MESSAGE, stage="provider", detail=detail)
    if status == 401:
        where = Msg("AZURE_OPENAI_API_KEY (or the Entra ID sign-in)") if azure else "OPENAI_API_KEY"
        return AuthFailed(
            "{service} did not accept the key. Check {where} and try again.",
            params={"service": service, "where": where},
            code="key_refused",
            detail=detail,
        )
    if status == 403:
        lowered = message.lower()
        if "verif" in lowered:
            return AuthFailed(
                "The OpenAI organization must be verified before it can use {model}. A teacher can verify it "
                "in the OpenAI platform settings, or choose another model.",
                params={"model": model},
                code="organization_unverified",
                detail=detail,
            )
        return AuthFailed(
            "This key is not allowed to use {model}. Ask for access, or choose another model.",
            params={"model": model},
            code="model_forbidden",
            detail=detail,
        )
    if status == 404 or (code or "").lower() in {"model_not_found", "deploymentnotfound"}:
        error = _missing_model(model, azure)
        error.detail = detail
        return error
    if status == 429:
        wait = retry_after_seconds(dict(exc.response.headers))
        if code == "insufficient_quota":
            return EngineUnavailable(
                "The image service account has no credit left. A teacher needs to check the billing.", detail=detail
            )
        if wait is None:
            return RateLimited(
                "Lots of pictures were asked for at once. Please wait a minute and try again.",
                code="provider_rate_limit",
                detail=detail,
            )
        return RateLimited(
            "Lots of pictures were asked for at once. Please wait about {seconds} seconds and try again.",
            params={"seconds": max(1, round(wait))},
            retry_after=wait,
            code="provider_rate_limit",
            detail=detail,
        )
    if status >= 500:
        return EngineUnavailable(
            "{service} had a problem on its side (error {status}). Please try again in a minute.",
            params={"service": service, "status": status},
            code="server_error",
            detail=detail,
        )
    if status in (400, 413, 422):
        shown = message or Msg("no reason given")
        return BadInput(
            "{service} did not accept the request: {reason}",
            params={"service": service, "reason": shown},
            code="request_refused",
            detail=detail,
        )
    return EngineUnavailable(
        "{service} answered with an unexpected error ({status}).",
        params={"service": service, "status": status},
        code="unexpected_error",
        detail=detail,
    )
