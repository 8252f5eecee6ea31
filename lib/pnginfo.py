"""Generation parameters inside the PNG itself, as AUTOMATIC1111's "PNG info" does.

Two text chunks are written right after the PNG header (before the pixels, so any reader finds
them without decoding the image):

- ``edu4all`` (iTXt, UTF-8 JSON): the full record the app reads back with :func:`read_settings`;
- ``parameters`` (iTXt, plain text): a human-readable summary in A1111's style, for other tools.

The chunks are spliced into the PNG byte stream; the pixels are never decoded or re-encoded.
Nothing that looks like a secret is ever written: fields whose name mentions a key, token,
secret, password or passcode are dropped, and values shaped like API keys are redacted.
"""

from __future__ import annotations

import json
import math
import re
import struct
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from lib.errors import BadInput
from lib.redact import redact

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The iTXt keyword holding the app's JSON record.
CHUNK_KEYWORD = "edu4all"
#: A1111-compatible human-readable keyword.
PARAMETERS_KEYWORD = "parameters"
#: Bumped if the JSON layout changes incompatibly.
FORMAT_VERSION = 1
#: A text chunk bigger than this is not ours (prompts are short); skip it rather than parse it.
_MAX_TEXT_CHUNK = 1_000_000
#: The app's records nest a few levels (record -> extra -> plan -> list); deeper is not ours.
#: Checked before parsing, so a hand-made file of 100,000 brackets never reaches the JSON parser.
MAX_DEPTH = 16

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SECRET_NAME = re.compile(r"key|token|secret|passw|passcode|credential|authorization", re.IGNORECASE)


def scrub(value: Any) -> Any:
    """A copy of ``value`` without secret-named fields and with key-shaped strings redacted.

    Works on nested dicts, lists and tuples; other values pass through unchanged.
    """
    if isinstance(value, Mapping):
        return {str(k): scrub(v) for k, v in value.items() if not _SECRET_NAME.search(str(k))}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _itxt(keyword: str, text: str) -> bytes:
    # keyword \0 compression-flag compression-method language \0 translated-keyword \0 text
    data = keyword.encode("latin-1") + b"\x00\x00\x00" + b"\x00" + b"\x00" + text.encode("utf-8")
    return _chunk(b"iTXt", data)


def _chunks(png: bytes) -> Iterator[tuple[bytes, bytes, int, int]]:
    """Yield ``(type, data, start, end)`` for each well-formed chunk; stop at the first bad one."""
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(png):
            return
        data = png[pos + 8 : pos + 8 + length]
        yield kind, data, pos, end
        if kind == b"IEND":
            return
        pos = end


def is_png(data: bytes) -> bool:
    """True when ``data`` starts like a PNG file."""
    return data[:8] == PNG_SIGNATURE


def summary(meta: Mapping[str, Any]) -> str:
    """The A1111-style text: the prompt sent, then ``Name: value`` pairs on one line."""
    pairs = [
        ("Engine", meta.get("engine")),
        ("Model", meta.get("model")),
        ("Operation", meta.get("operation")),
        ("Size", meta.get("size")),
        ("Seed", meta.get("seed")),
        ("Temperature", meta.get("temperature")),
        ("Quality", meta.get("quality")),
    ]
    tail = ", ".join(f"{name}: {value}" for name, value in pairs if value not in (None, ""))
    return f"{meta.get('prompt_sent') or meta.get('prompt_typed') or ''}\n{tail}"


def embed(png: bytes, meta: Mapping[str, Any]) -> bytes:
    """``png`` with ``meta`` (scrubbed) written into its text chunks; old ones are replaced.

    Raises :class:`BadInput` when ``png`` is not a PNG.
    """
    if not is_png(png):
        raise BadInput("That file is not a PNG picture.")
    record = scrub(dict(meta))
    record["app"] = CHUNK_KEYWORD
    record["format"] = FORMAT_VERSION
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    ours = _itxt(CHUNK_KEYWORD, text) + _itxt(PARAMETERS_KEYWORD, summary(record))
    out = bytearray(PNG_SIGNATURE)
    for kind, data, start, end in _chunks(png):
        if kind in (b"iTXt", b"tEXt", b"zTXt") and _keyword(data) in (CHUNK_KEYWORD, PARAMETERS_KEYWORD):
            continue
        out += png[start:end]
        if kind == b"IHDR":
            out += ours
    return bytes(out)


def _keyword(data: bytes) -> str:
    return data.split(b"\x00", 1)[0].decode("latin-1", "replace")


def _itxt_text(data: bytes) -> str | None:
    try:
        _, rest = data.split(b"\x00", 1)
        flag, method, rest = rest[0], rest[1], rest[2:]
        _lang, _translated, text = rest.split(b"\x00", 2)
        raw = zlib.decompress(text) if flag == 1 and method == 0 else text
        return raw.decode("utf-8")
    except (ValueError, IndexError, zlib.error, UnicodeDecodeError):
        return None


def _nesting(text: str) -> int:
    """How deep the brackets of JSON ``text`` nest, strings left out (no recursion, linear time)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def read_settings(png: bytes) -> dict[str, Any] | None:
    """The record the app wrote into ``png``, or None for any PNG (or file) the app did not make.

    Never decodes the pixels; a damaged or foreign file gives None, not an error. The result is
    scrubbed again, so a hand-crafted file cannot smuggle a key-named field into the app.
    """
    if not is_png(png):
        return None
    for kind, data, _start, end in _chunks(png):
        if kind == b"IDAT" or kind == b"IEND":
            break
        if kind != b"iTXt" or len(data) > _MAX_TEXT_CHUNK or _keyword(data) != CHUNK_KEYWORD:
            continue
        if zlib.crc32(kind + data) & 0xFFFFFFFF != struct.unpack(">I", png[end - 4 : end])[0]:
            return None
        text = _itxt_text(data)
        if text is None:
            return None
        if _nesting(text) > MAX_DEPTH:
            return None
        try:
            record = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(record, dict) or record.get("app") != CHUNK_KEYWORD:
            return None
        cleaned: dict[str, Any] = scrub(record)
        return cleaned
    return None


#: The fields of a record that "use these settings again" can put back into the Create page.
REUSABLE = ("prompt_typed", "engine", "model", "size", "seed", "temperature", "quality")
#: The range of every value :func:`reusable_settings` hands to a widget.
MAX_SEED = 2**31 - 1
MAX_PROMPT_CHARS = 4000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/ -]{0,99}")
_SIZE = re.compile(r"\d{1,5}x\d{1,5}|auto")


def reusable_settings(record: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a page can put back into its widgets (see :data:`REUSABLE`), checked and clamped.

    A record comes from a file anyone can edit, so each value is checked for its type and pulled
    into the range the widgets take (randomness 7.5 becomes 1.0); a value of the wrong kind is left out.
    """
    out: dict[str, Any] = {}
    prompt = record.get("prompt_typed")
    if isinstance(prompt, str) and prompt.strip():
        out["prompt_typed"] = prompt[:MAX_PROMPT_CHARS]
    for name in ("engine", "model", "quality"):
        value = record.get(name)
        if isinstance(value, str) and _NAME.fullmatch(value):
            out[name] = value
    size = record.get("size")
    if isinstance(size, str) and _SIZE.fullmatch(size):
        out["size"] = size
    seed = record.get("seed")
    if isinstance(seed, int) and not isinstance(seed, bool):
        out["seed"] = min(max(seed, 0), MAX_SEED)
    temperature = record.get("temperature")
    if isinstance(temperature, int | float) and not isinstance(temperature, bool) and math.isfinite(temperature):
        out["temperature"] = min(max(float(temperature), 0.0), 1.0)
    return out
