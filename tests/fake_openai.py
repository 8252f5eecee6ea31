"""The project's own fake of the OpenAI (and Azure OpenAI) image API, over real HTTP.

A ``ThreadingHTTPServer`` on 127.0.0.1 (free port) in a background thread. It answers
``/v1/images/generations`` (JSON), ``/v1/images/edits`` and ``/v1/images/variations`` (multipart,
parsed with the stdlib ``email`` parser), ``/v1/moderations``, and the Azure shapes
``/openai/deployments/{dep}/images/...?api-version=...``. Pictures are real PNGs of the requested
size, coloured from the prompt so that the images of one answer differ.

Programmable per test: ``latency`` (seconds per call), faults (:meth:`FakeOpenAI.fail`,
:meth:`FakeOpenAI.add_fault`), ``response_mode`` (``auto``, ``b64_json``, ``url``, ``data_url``,
``broken_url``), moderation ``flag_words``. Every request is recorded (:attr:`FakeOpenAI.requests`),
including its headers, so a test can check the key was sent and then that it appears nowhere else.

Use it as a context manager (benches) or through the ``fake_openai`` pytest fixture.
"""

from __future__ import annotations

import base64
import hashlib
import io
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

from PIL import Image

from lib.settings import Settings
from tests.fake_openai_http import (
    MODERATION_CATEGORIES,
    Fault,
    Handler,
    RecordedRequest,
    ResponseMode,
    colour_for,
    error_body,
    render_png,
)

try:  # the module is also used by bench/ without pytest
    import pytest
except ImportError:  # pragma: no cover
    pytest = None  # type: ignore[assignment]

TEST_OPENAI_KEY = "sk-test-FAKEKEY-0123456789abcdef"
TEST_AZURE_KEY = "azure-test-key-9876543210fedcba"


class FakeOpenAI:
    """The fake server. ``with FakeOpenAI(latency=0.3) as fake: ...`` or the ``fake_openai`` fixture."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self.response_mode: ResponseMode = "auto"
        self.flag_words: set[str] = {"forbidden"}
        self.flag_images = False
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.files: dict[str, bytes] = {}
        #: Streaming: seconds between two events, and how many events go out before the
        #: connection is dropped (``None``: the whole stream).
        self.stream_interval = 0.0
        self.cut_stream_after: int | None = None
        #: False: answer streamed requests in one JSON piece, as servers that cannot stream do.
        self.can_stream = True
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        fake = self

        class BoundHandler(Handler):
            server_fake = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), BoundHandler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses and settings --------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "start the server first"
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give ``OPENAI_BASE_URL``."""
        return f"{self.origin}/v1"

    @property
    def azure_endpoint(self) -> str:
        """What to give ``AZURE_OPENAI_ENDPOINT``."""
        return self.origin

    def settings(self, **overrides: Any) -> Settings:
        """Settings with the OpenAI engine pointed here (no retries, short timeout)."""
        values: dict[str, Any] = {
            "engine": "openai",
            "openai_api_key": TEST_OPENAI_KEY,
            "openai_base_url": self.base_url,
            "openai_max_retries": 0,
            "openai_timeout": 10.0,
        }
        values.update(overrides)
        return Settings(**values)

    def azure_settings(self, deployment: str = "gpt-image-1-school", **overrides: Any) -> Settings:
        """Settings with the Azure engine pointed here."""
        values: dict[str, Any] = {
            "engine": "azure",
            "azure_endpoint": self.azure_endpoint,
            "azure_api_key": TEST_AZURE_KEY,
            "azure_deployment": deployment,
            "azure_api_version": "2025-04-01-preview",
            "openai_max_retries": 0,
            "openai_timeout": 10.0,
        }
        values.update(overrides)
        return Settings(**values)

    # -- programming -------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def fail(
        self,
        status: int,
        message: str = "failure",
        code: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
        endpoint: str | None = None,
        **extra: Any,
    ) -> None:
        """Answer the next ``times`` calls with an OpenAI-shaped error."""
        self.add_fault(
            Fault(
                status=status,
                body=error_body(message, code, **extra),
                headers=headers or {},
                times=times,
                endpoint=endpoint,
            )
        )

    def _take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.endpoint in (None, endpoint) and fault.times != 0:
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    # -- inspection --------------------------------------------------------------------------
    def count(self, endpoint: str | None = None) -> int:
        """How many API calls arrived (``images/generations``, ``images/edits``, ``moderations``...)."""
        with self._lock:
            return sum(1 for r in self.requests if r.endpoint != "files" and endpoint in (None, r.endpoint))

    def calls(self, endpoint: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.endpoint != "files" and endpoint in (None, r.endpoint)]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    # -- answers -----------------------------------------------------------------------------
    def images_answer(self, request: RecordedRequest) -> dict[str, Any]:
        model = str(request.param("model") or request.deployment or "gpt-image-1")
        prompt = str(request.param("prompt") or "")
        n = int(request.param("n") or 1)
        size = str(request.param("size") or "auto")
        if (size == "auto" or "x" not in size) and "image" in request.files:
            with Image.open(io.BytesIO(request.files["image"])) as source:
                width, height = source.size
        elif size == "auto" or "x" not in size:
            width, height = 1024, 1024
        else:
            width, height = (int(v) for v in size.split("x"))
        mode = self.response_mode
        if mode == "auto":
            mode = "url" if request.param("response_format") == "url" else "b64_json"
        data = []
        for i in range(n):
            png = render_png(width, height, colour_for(prompt, i))
            item: dict[str, Any] = {}
            if mode == "b64_json":
                item["b64_json"] = base64.b64encode(png).decode()
            elif mode == "data_url":
                item["url"] = "data:image/png;base64," + base64.b64encode(png).decode()
            elif mode == "broken_url":
                item["url"] = f"{self.origin}/files/missing-{i}.png"
            else:
                name = hashlib.sha256(png).hexdigest()[:16] + ".png"
                with self._lock:
                    self.files[name] = png
                item["url"] = f"{self.origin}/files/{name}?sig=abc"
            if "dall-e-3" in model:
                item["revised_prompt"] = f"A detailed picture of {prompt}"
            data.append(item)
        prompt_tokens = max(1, len(prompt) // 4)
        usage = {
            "input_tokens": prompt_tokens,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": prompt_tokens},
            "output_tokens": 272 * n,
            "total_tokens": prompt_tokens + 272 * n,
        }
        return {"created": int(time.time()), "data": data, "size": f"{width}x{height}", "usage": usage}

    def stream_events(self, request: RecordedRequest) -> Iterator[tuple[str, dict[str, Any]]]:
        """The events of a streamed answer: ``partial_images`` rough pictures per picture, then
        the final one (the same picture as :meth:`images_answer` makes), with usage."""
        answer = self.images_answer(request)
        prefix = "image_edit" if request.endpoint == "images/edits" else "image_generation"
        partials = int(request.param("partial_images") or 0)
        common = {
            "background": "opaque",
            "created_at": answer["created"],
            "output_format": "png",
            "quality": str(request.param("quality") or "auto"),
            "size": answer["size"],
        }
        width, height = (int(v) for v in answer["size"].split("x"))
        prompt = str(request.param("prompt") or "")
        for i, item in enumerate(answer["data"]):
            colour = colour_for(prompt, i)  # the final picture's colour (see images_answer)
            for index in range(partials):
                # A rough picture: the final colour, darker the earlier it comes.
                share = (index + 1) / (partials + 1)
                rough = tuple(int(c * share) for c in colour)
                png = render_png(width, height, (rough[0], rough[1], rough[2]))
                data = {"type": f"{prefix}.partial_image", "b64_json": base64.b64encode(png).decode()}
                yield f"{prefix}.partial_image", {**data, **common, "partial_image_index": index}
            done = {"type": f"{prefix}.completed", "b64_json": item["b64_json"], **common, "usage": answer["usage"]}
            yield f"{prefix}.completed", done

    def moderation_answer(self, request: RecordedRequest) -> dict[str, Any]:
        """One result per string of a list of strings; one result for multimodal input."""
        raw = request.param("input")
        items = raw if isinstance(raw, list) else [raw]
        if all(isinstance(i, str) for i in items):
            groups = [[i] for i in items]
        else:
            groups = [items]
        results = [self._moderate(group) for group in groups]
        return {"id": "modr-fake", "model": str(request.param("model") or "omni-moderation-latest"), "results": results}

    def _moderate(self, items: list[Any]) -> dict[str, Any]:
        texts = [i for i in items if isinstance(i, str)] + [
            str(i.get("text", "")) for i in items if isinstance(i, dict) and i.get("type") == "text"
        ]
        has_image = any(isinstance(i, dict) and i.get("type") == "image_url" for i in items)
        flagged = any(w.lower() in t.lower() for t in texts for w in self.flag_words) or (
            has_image and self.flag_images
        )
        categories = {name: flagged and name == "violence" for name in MODERATION_CATEGORIES}
        return {
            "flagged": flagged,
            "categories": categories,
            "category_scores": {name: (0.97 if hit else 0.001) for name, hit in categories.items()},
            "category_applied_input_types": {
                name: (["image", "text"] if has_image else ["text"]) for name in MODERATION_CATEGORIES
            },
        }


if pytest is not None:

    @pytest.fixture
    def fake_openai() -> Iterator[FakeOpenAI]:
        """A running fake OpenAI server for one test."""
        with FakeOpenAI() as server:
            yield server


__all__ = [
    "TEST_AZURE_KEY",
    "TEST_OPENAI_KEY",
    "FakeOpenAI",
    "Fault",
    "RecordedRequest",
    "colour_for",
    "error_body",
    "fake_openai",
    "render_png",
]
