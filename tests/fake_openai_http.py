"""The HTTP side of the fake OpenAI server: recorded requests, faults, multipart parsing, the handler.

See :mod:`tests.fake_openai` for the server object and the pytest fixture.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import socket
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from functools import lru_cache
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

from PIL import Image

if TYPE_CHECKING:
    from tests.fake_openai import FakeOpenAI

_ROUTE = re.compile(
    r"^(?:/v1|/openai/v1|/openai(?:/deployments/(?P<dep>[^/]+))?)?/(?P<ep>images/generations|images/edits|images/variations|moderations)/?$"
)
MODERATION_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
FaultKind = Literal["status", "malformed", "close", "hang"]
ResponseMode = Literal["auto", "b64_json", "url", "data_url", "broken_url"]


@dataclass
class Fault:
    """One programmed failure; ``times`` answers (``-1`` for ever), on ``endpoint`` or any endpoint."""

    kind: FaultKind = "status"
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    endpoint: str | None = None
    times: int = 1


@dataclass
class RecordedRequest:
    """What the fake server received."""

    method: str
    path: str
    endpoint: str
    deployment: str | None
    query: dict[str, list[str]]
    headers: dict[str, str]
    json: Any = None
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    started: float = 0.0
    #: When the answer started to go out (or the connection was dropped).
    finished: float = 0.0

    @property
    def key(self) -> str | None:
        """The key the client sent (Bearer token or Azure ``api-key``)."""
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:]
        return self.headers.get("api-key")

    def param(self, name: str) -> Any:
        """A request parameter, from the JSON body or the multipart fields."""
        if isinstance(self.json, dict) and name in self.json:
            return self.json[name]
        return self.fields.get(name)


@lru_cache(maxsize=128)
def render_png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A plain PNG (cached: benches measure the client, not this server's encoder)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def colour_for(prompt: str, index: int) -> tuple[int, int, int]:
    """A colour derived from the prompt and the image's index."""
    digest = hashlib.sha256(f"{prompt}#{index}".encode()).digest()
    return digest[0], digest[1], digest[2]


def error_body(
    message: str, code: str | None = None, type_: str = "invalid_request_error", **extra: Any
) -> dict[str, Any]:
    """The OpenAI error shape: ``{"error": {"message", "type", "param", "code", ...}}``."""
    return {"error": {"message": message, "type": type_, "param": None, "code": code, **extra}}


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None:
            files[name.removesuffix("[]")] = data
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


class Handler(BaseHTTPRequestHandler):
    server_fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer, which no real service does.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: tests read the recorded requests instead."""

    def _send(
        self, status: int, body: bytes, content_type: str = "application/json", headers: dict[str, str] | None = None
    ) -> None:
        current: RecordedRequest | None = getattr(self, "current", None)
        if current is not None:
            # Stamped before the answer leaves, so a client that has it always sees ``finished`` set.
            current.finished = time.monotonic()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        fake = self.server_fake
        url = urlsplit(self.path)
        fake._record(
            RecordedRequest(
                "GET",
                url.path,
                "files",
                None,
                parse_qs(url.query),
                dict(self.headers.items()),
                started=time.monotonic(),
            )
        )
        name = url.path.removeprefix("/files/")
        with fake._lock:
            png = fake.files.get(name) if url.path.startswith("/files/") else None
        if png is None:
            self._send(404, b"not found", "text/plain")
        else:
            self._send(200, png, "image/png")

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        fake = self.server_fake
        started = time.monotonic()
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        match = _ROUTE.match(url.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = RecordedRequest(
            "POST",
            url.path,
            match["ep"] if match else "unknown",
            match["dep"] if match else None,
            parse_qs(url.query),
            headers,
            started=started,
        )
        content_type = headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            request.fields, request.files = parse_multipart(content_type, body)
        elif body:
            request.json = json.loads(body)
        fake._record(request)
        self.current = request
        try:
            self._answer(fake, request)
        finally:
            request.finished = request.finished or time.monotonic()
            self.current = None

    def _answer(self, fake: FakeOpenAI, request: RecordedRequest) -> None:
        if request.endpoint == "unknown":
            self._send(404, json.dumps(error_body(f"Unknown path {request.path}", "not_found")).encode())
            return
        fault = fake._take_fault(request.endpoint)
        if fault is not None and fault.kind == "hang":
            fake._stopping.wait(60)
            self.close_connection = True
            return
        if fake.latency:
            time.sleep(fake.latency)  # the simulated work of a real service
        if fault is not None:
            if fault.kind == "close":
                self.close_connection = True
                return
            if fault.kind == "malformed" and str(request.param("stream")).lower() == "true":
                # A streamed answer whose one event is cut inside its JSON.
                event = b'event: image_generation.completed\ndata: {"type": "image_generation.completed", "b64\n\n'
                self._send(200, event, "text/event-stream", headers=fault.headers)
                return
            if fault.kind == "malformed":
                self._send(200, b'{"created": 1, "data": [{"b64_json": "iVBOR', headers=fault.headers)
                return
            raw = fault.body if isinstance(fault.body, bytes | str) else json.dumps(fault.body)
            self._send(fault.status, raw.encode() if isinstance(raw, str) else raw, headers=fault.headers)
            return
        streamed = str(request.param("stream")).lower() == "true"
        if request.endpoint != "moderations" and streamed and fake.can_stream:
            self._stream(fake, request)
            return
        answer = fake.moderation_answer(request) if request.endpoint == "moderations" else fake.images_answer(request)
        self._send(200, json.dumps(answer).encode())

    def _stream(self, fake: FakeOpenAI, request: RecordedRequest) -> None:
        """Server-sent events as the Images API sends them: ``image_generation.partial_image`` (or
        ``image_edit.*``) events, then ``.completed``, one HTTP chunk each; ``fake.stream_interval``
        seconds apart; dropped without the final chunk after ``fake.cut_stream_after`` events."""
        current: RecordedRequest | None = getattr(self, "current", None)
        if current is not None:
            current.finished = time.monotonic()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for sent, (kind, data) in enumerate(fake.stream_events(request)):
            if fake.cut_stream_after is not None and sent >= fake.cut_stream_after:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if sent and fake.stream_interval:
                if fake._stopping.wait(fake.stream_interval):
                    return
            event = f"event: {kind}\ndata: {json.dumps(data)}\n\n".encode()
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
