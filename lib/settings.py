"""Configuration, read from four places in a fixed order (first one that has a value wins):

1. the process environment (``export OPENAI_API_KEY=...``, or Streamlit Cloud's secrets, which it
   also exports as environment variables);
2. Streamlit secrets (``.streamlit/secrets.toml``), handed in by :mod:`lib.ui` so that this module
   does not import Streamlit;
3. a ``.env`` file in the working directory (python-dotenv, never overriding 1; the environment
   variable ``STUDIO_ENV_FILE`` names another file, or none when set empty);
4. the defaults below.

Every field is documented in the README's settings table. Keys are kept in
:class:`Settings` but are excluded from ``repr`` so they never land in a log.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_OPENAI_MODEL = "gpt-image-2"
#: "v1": Azure's v1 API (``/openai/v1/``, no dated version), the documented way for new set-ups.
#: A dated version (e.g. ``2025-04-01-preview``) uses the older deployments API.
DEFAULT_AZURE_API_VERSION = "v1"
DEFAULT_ENTRA_SCOPE = "https://ai.azure.com/.default"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the studio reads from outside. Build it with :func:`load_settings`."""

    #: ``auto`` picks OpenAI, then Azure, then the storybook, by which keys are set.
    engine: str = field(default="auto", metadata={"env": "STUDIO_ENGINE"})
    data_dir: Path = field(default=Path("data"), metadata={"env": "STUDIO_DATA_DIR"})
    teacher_passcode: str | None = field(default=None, repr=False, metadata={"env": "TEACHER_PASSCODE"})
    #: With school sign-in (``[auth]`` in secrets.toml): the accounts that are teachers, comma separated.
    teacher_emails: str = field(default="", metadata={"env": "TEACHER_EMAILS"})

    #: An SQLAlchemy URL; unset means SQLite under ``data_dir`` (``postgresql+psycopg://...`` for a school).
    database_url: str | None = field(default=None, repr=False, metadata={"env": "STUDIO_DATABASE_URL"})
    #: Where picture files go; unset means a folder under ``data_dir`` (``s3://bucket/prefix`` for a school).
    storage_url: str | None = field(default=None, metadata={"env": "STUDIO_STORAGE_URL"})
    #: For S3-compatible stores other than AWS (MinIO, Ceph, R2...).
    s3_endpoint_url: str | None = field(default=None, metadata={"env": "STUDIO_S3_ENDPOINT_URL"})
    aws_access_key_id: str | None = field(default=None, repr=False, metadata={"env": "AWS_ACCESS_KEY_ID"})
    aws_secret_access_key: str | None = field(default=None, repr=False, metadata={"env": "AWS_SECRET_ACCESS_KEY"})
    aws_region: str | None = field(default=None, metadata={"env": "AWS_DEFAULT_REGION"})

    openai_api_key: str | None = field(default=None, repr=False, metadata={"env": "OPENAI_API_KEY"})
    openai_base_url: str | None = field(default=None, metadata={"env": "OPENAI_BASE_URL"})
    openai_model: str = field(default=DEFAULT_OPENAI_MODEL, metadata={"env": "OPENAI_IMAGE_MODEL"})
    #: Extra model names to offer, comma separated.
    openai_models: str = field(default="", metadata={"env": "OPENAI_IMAGE_MODELS"})
    openai_timeout: float = field(default=120.0, metadata={"env": "OPENAI_TIMEOUT"})
    openai_max_retries: int = field(default=2, metadata={"env": "OPENAI_MAX_RETRIES"})
    #: Seconds one request may take in all, every retry included; then the student is told.
    openai_deadline_s: float = field(default=90.0, metadata={"env": "OPENAI_DEADLINE_S"})
    #: Show pictures while they are drawn (models that stream); off for servers that cannot.
    openai_stream: bool = field(default=True, metadata={"env": "OPENAI_STREAM"})

    azure_endpoint: str | None = field(default=None, metadata={"env": "AZURE_OPENAI_ENDPOINT"})
    azure_api_key: str | None = field(default=None, repr=False, metadata={"env": "AZURE_OPENAI_API_KEY"})
    azure_api_version: str = field(default=DEFAULT_AZURE_API_VERSION, metadata={"env": "AZURE_OPENAI_API_VERSION"})
    azure_deployment: str | None = field(default=None, metadata={"env": "AZURE_OPENAI_DEPLOYMENT"})
    #: Sign in with Entra ID (azure-identity) instead of a key.
    azure_use_entra_id: bool = field(default=False, metadata={"env": "AZURE_OPENAI_USE_ENTRA_ID"})
    #: The Entra ID scope asked for (set-ups from before 2026 use https://cognitiveservices.azure.com/.default).
    azure_entra_scope: str = field(default=DEFAULT_ENTRA_SCOPE, metadata={"env": "AZURE_OPENAI_ENTRA_SCOPE"})

    #: Biggest image a server may send back as a URL download, in bytes.
    url_download_max_bytes: int = field(default=50_000_000, metadata={"env": "STUDIO_URL_DOWNLOAD_MAX_BYTES"})

    diffusers_model: str = field(default="stabilityai/sd-turbo", metadata={"env": "DIFFUSERS_MODEL"})
    diffusers_allow_download: bool = field(default=False, metadata={"env": "DIFFUSERS_ALLOW_DOWNLOAD"})
    diffusers_device: str = field(default="auto", metadata={"env": "DIFFUSERS_DEVICE"})
    #: Denoising steps for local diffusion; 0 = by model and quality (1-4 for turbo models, 15-40 otherwise).
    diffusers_steps: int = field(default=0, metadata={"env": "DIFFUSERS_STEPS"})

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields changed (used by tests and the Teacher page)."""
        return replace(self, **changes)

    @property
    def openai_configured(self) -> bool:
        return bool(self.openai_api_key)

    @property
    def azure_configured(self) -> bool:
        return bool(self.azure_endpoint and self.azure_deployment and (self.azure_api_key or self.azure_use_entra_id))

    @property
    def azure_v1(self) -> bool:
        """True for Azure's v1 API (no dated api-version), False for the dated deployments API."""
        return (self.azure_api_version or "").strip().lower() in ("", "v1", "latest")

    @property
    def teachers(self) -> frozenset[str]:
        """The teachers' e-mail addresses, in lower case."""
        return frozenset(e.strip().lower() for e in self.teacher_emails.replace(";", ",").split(",") if e.strip())

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value set, so that callers can scrub them from text."""
        values = [self.openai_api_key, self.azure_api_key, self.teacher_passcode, self.aws_secret_access_key]
        if self.database_url:
            with contextlib.suppress(ArgumentError, ValueError):
                values.append(make_url(self.database_url).password)
        return tuple(str(v) for v in values if v)


_TRUE = {"1", "true", "yes", "on"}


def _convert(raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in _TRUE
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(str(raw)).expanduser()
    value = str(raw).strip()
    return value or None


def env_names() -> dict[str, str]:
    """Field name -> environment variable name, for every setting."""
    return {f.name: f.metadata["env"] for f in fields(Settings)}


def load_settings(
    *,
    secrets: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | Path | None = "default",
) -> Settings:
    """Read the settings in the documented order (environment, secrets, ``.env``, defaults).

    Bad values (``OPENAI_TIMEOUT=soon``) fall back to the default rather than crash the app.
    """
    environ = os.environ if environ is None else environ
    if dotenv_path == "default":
        dotenv_path = environ.get("STUDIO_ENV_FILE", ".env") or None
    dotenv: Mapping[str, str | None] = {}
    if dotenv_path is not None and Path(dotenv_path).is_file():
        dotenv = dotenv_values(dotenv_path)
    sources: list[Mapping[str, Any]] = [environ, secrets or {}, dotenv]
    values: dict[str, Any] = {}
    for f in fields(Settings):
        name = f.metadata["env"]
        for source in sources:
            raw = source.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                values[f.name] = _convert(raw, f.default)
            except (TypeError, ValueError):
                continue
            break
    return Settings(**values)
