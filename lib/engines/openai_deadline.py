"""One deadline per request, across every retry the openai SDK makes (``OPENAI_DEADLINE_S``).

The SDK retries by itself (connection errors, timeouts, 429, 5xx), and each attempt gets the
full timeout: a provider that hangs kept a child waiting ``(retries + 1) x timeout``. The SDK has
no overall deadline, so the engine gives it an HTTP transport (the public ``http_client``
parameter, with httpx2's public transport API) that knows the deadline of the request being made:

* every attempt's timeouts are cut to the time left, so a hanging server is given up on when the
  deadline passes;
* no attempt starts once the deadline has passed (:class:`DeadlinePassed`, an ``OpenAIError``, which
  the SDK re-raises without retrying);
* an answer that asks to be retried later than the deadline allows is marked ``x-should-retry:
  false`` (the SDK's own header), so the SDK does not sleep past the deadline.

The deadline lives in a context variable set by :func:`deadline`, per thread, so one shared client
serves many students at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx2
import openai

from lib.engines.openai_errors import retry_after_seconds

_DEADLINE: ContextVar[float | None] = ContextVar("openai_deadline", default=None)
#: Answers the SDK would retry.
_RETRYABLE = {408, 409, 429}
#: Below this many seconds left, starting another attempt is pointless.
_MIN_ATTEMPT_S = 1.0
#: A timeout this close to the deadline was the deadline's doing.
_SLACK_S = 0.05


class DeadlinePassed(openai.OpenAIError):
    """The request's deadline passed before another attempt could start."""


@contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Calls made inside the block stop at ``at`` (a ``time.monotonic()`` value; ``None``: no deadline)."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current_deadline() -> float | None:
    """The deadline set by the innermost :func:`deadline` block of this thread."""
    return _DEADLINE.get()


def time_left() -> float | None:
    """Seconds left before the deadline (may be negative); ``None`` without one."""
    at = _DEADLINE.get()
    return None if at is None else at - time.monotonic()


class DeadlineTransport(httpx2.BaseTransport):
    """Wraps the SDK's usual transport; see the module doc."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        left = time_left()
        if left is None:
            return self.inner.handle_request(request)
        if left <= 0:
            raise DeadlinePassed("the request's deadline passed before this attempt")
        raw = request.extensions.get("timeout")
        timeouts: dict[str, float | None] = dict(raw) if isinstance(raw, dict) else {}
        for name in ("connect", "read", "write", "pool"):
            value = timeouts.get(name)
            timeouts[name] = left if value is None else min(float(value), left)
        request.extensions = {**request.extensions, "timeout": timeouts}
        try:
            response = self.inner.handle_request(request)
        except httpx2.TimeoutException as exc:
            if (time_left() or 0.0) <= _SLACK_S:
                # Cut short by the deadline: stop now rather than back off for a retry that cannot start.
                raise DeadlinePassed("the request's deadline passed while waiting for an answer") from exc
            raise
        if response.status_code in _RETRYABLE or response.status_code >= 500:
            wait = retry_after_seconds(dict(response.headers)) or 0.0
            remaining = time_left() or 0.0
            if remaining - wait < _MIN_ATTEMPT_S:
                response.headers["x-should-retry"] = "false"
        return response

    def close(self) -> None:
        self.inner.close()


class _Client(httpx2.Client):
    """Closes its connections when dropped, as the SDK's own default client does."""

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown: nothing left to tell
            pass


def http_client(*, timeout: float) -> httpx2.Client:
    """An HTTP client like the SDK's default (its connection limits, redirects followed), with
    :class:`DeadlineTransport` around its transport."""
    transport = DeadlineTransport(httpx2.HTTPTransport(limits=openai.DEFAULT_CONNECTION_LIMITS))
    return _Client(transport=transport, timeout=timeout, follow_redirects=True)
