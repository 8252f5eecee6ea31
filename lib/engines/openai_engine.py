"""The hosted engines: OpenAI (or any OpenAI-compatible server) and Azure OpenAI, via the official SDK.

One class serves both; only the client and the wording differ. On Azure the "model" is the
deployment name, on the v1 API (``/openai/v1/``, plain ``OpenAI`` client) or the dated
deployments API (``AzureOpenAI``), as ``AZURE_OPENAI_API_VERSION`` says.

Where a model makes one picture per call (DALL-E 3), calls run side by side in worker threads, and
``progress`` is called from the caller's thread as each call finishes. One picture from a model
that streams, with a ``progress`` that can show pictures (:class:`lib.engines.base.PartialProgress`),
is asked for with ``stream=True, partial_images=2``: the rough pictures go to ``progress.partial``
as they arrive, and only the final one is returned. Every request has one deadline across all its
retries (:mod:`lib.engines.openai_deadline`).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import openai
from openai.types import ImagesResponse

from lib.engines.base import (
    Capabilities,
    EditRequest,
    Engine,
    EngineStatus,
    GeneratedImage,
    GenerateRequest,
    Operation,
    Progress,
    VaryRequest,
    report_finished,
    report_partial,
    wants_partials,
)
from lib.engines.openai_deadline import DeadlinePassed, current_deadline, deadline, http_client, time_left
from lib.engines.openai_errors import describe_for_log, translate
from lib.engines.openai_models import capabilities_for, family_of, model_list
from lib.engines.openai_output import decode_b64, download, image_png, markup_png, square_png, to_png
from lib.errors import BadInput, Blocked, EngineUnavailable, NotConfigured, StudioError
from lib.imaging import to_openai_mask
from lib.messages import N_, Msg
from lib.settings import Settings

log = logging.getLogger(__name__)

_WHERE = N_("in .env, in .streamlit/secrets.toml or in the environment")
#: Most calls in flight at once for one request (DALL-E 3 fan-out).
_MAX_PARALLEL = 8
#: Rough pictures asked for while one picture is drawn (the API allows 0-3).
PARTIAL_IMAGES = 2
CUT_OFF_MESSAGE = N_("The picture stopped arriving before it was finished, so nothing was saved. Please try again.")
#: Hands a partial picture (index, PNG) to the page.
_OnPartial = Callable[[int, bytes], None]


def _azure_identity_installed() -> bool:
    try:
        return importlib.util.find_spec("azure.identity") is not None
    except (ImportError, ValueError):
        return False


class OpenAIEngine(Engine):
    """OpenAI or Azure OpenAI image generation, edits and variations."""

    hosted = True

    def __init__(self, settings: Settings, *, azure: bool, token_provider: Callable[[], str] | None = None) -> None:
        self.settings = settings
        self.azure = azure
        #: An Entra ID token source to use instead of azure-identity's (tests, custom sign-ins).
        self._token_provider = token_provider
        self.name = "azure" if azure else "openai"
        self.label = "Azure OpenAI" if azure else "OpenAI"
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()

    # -- configuration -----------------------------------------------------------------------
    def _missing(self) -> list[str]:
        s = self.settings
        if not self.azure:
            return [] if s.openai_api_key else ["OPENAI_API_KEY"]
        missing = [
            name
            for name, value in (
                ("AZURE_OPENAI_ENDPOINT", s.azure_endpoint),
                ("AZURE_OPENAI_DEPLOYMENT", s.azure_deployment),
            )
            if not value
        ]
        if not s.azure_api_key and not s.azure_use_entra_id:
            missing.append("AZURE_OPENAI_API_KEY (or AZURE_OPENAI_USE_ENTRA_ID=true)")
        return missing

    def status(self) -> EngineStatus:
        """Configured or not, and what to set; never calls the network."""
        missing = self._missing()
        if missing:
            settings = " and ".join(missing)
            how = Msg("Set {settings} {where}.", settings=settings, where=Msg(_WHERE))
            if not self.azure:
                how = Msg(
                    "Set {settings} {where}. For an OpenAI-compatible server, also set OPENAI_BASE_URL "
                    "(any key text it accepts).",
                    settings=settings, where=Msg(_WHERE),
                )  # fmt: skip
            summary = Msg("{engine} is not set up.", engine=Msg(self.label))
            return EngineStatus(configured=False, summary=summary, how_to_configure=how)
        s = self.settings
        if self.azure and not s.azure_api_key and self._token_provider is None and not _azure_identity_installed():
            return EngineStatus(
                configured=False,
                summary=Msg("Azure OpenAI sign-in with Entra ID needs the azure-identity package."),
                how_to_configure=Msg(
                    "Run `pip install azure-identity`, or set AZURE_OPENAI_API_KEY {where}.", where=Msg(_WHERE)
                ),
            )
        if self.azure:
            host = urlsplit(s.azure_endpoint or "").hostname or "Azure"
            api = "v1 API" if s.azure_v1 else f"deployments API {s.azure_api_version}"
            summary = Msg(
                "Azure OpenAI is ready: deployment {deployment} on {host} ({api}).",
                deployment=s.azure_deployment, host=host, api=api,
            )  # fmt: skip
        elif s.openai_base_url:
            server = urlsplit(s.openai_base_url).netloc or s.openai_base_url
            summary = Msg("Ready: OpenAI-compatible server at {server}.", server=server)
        else:
            summary = Msg("OpenAI is ready (default model {model}).", model=s.openai_model)
        return EngineStatus(configured=True, summary=summary)

    def _entra_provider(self) -> Callable[[], str]:
        if self._token_provider is not None:
            return self._token_provider
        try:
            from azure.identity import DefaultAzureCredential, get_bearer_token_provider
        except ImportError as exc:
            raise NotConfigured(
                "Azure OpenAI sign-in with Entra ID needs the azure-identity package: run `pip install "
                "azure-identity`, or set AZURE_OPENAI_API_KEY {where}.",
                params={"where": Msg(_WHERE)},
                code="azure_identity_missing",
            ) from exc
        provider: Callable[[], str] = get_bearer_token_provider(
            DefaultAzureCredential(), self.settings.azure_entra_scope
        )
        return provider

    def _build_client(self) -> openai.OpenAI:
        s = self.settings
        if self._missing():
            raise NotConfigured(
                "{engine} is not set up yet. {how}",
                params={"engine": Msg(self.label), "how": Msg(self.status().how_to_configure)},
                code="not_set_up",
            )
        common: dict[str, Any] = {
            "timeout": s.openai_timeout,
            "max_retries": s.openai_max_retries,
            "http_client": http_client(timeout=s.openai_timeout),
        }
        if not self.azure:
            return openai.OpenAI(api_key=s.openai_api_key, base_url=s.openai_base_url, **common)
        endpoint = (s.azure_endpoint or "").rstrip("/")
        if s.azure_v1:
            # The v1 API: the plain client, no api-version; the key or the Entra ID token as bearer.
            base_url = endpoint if endpoint.endswith("/openai/v1") else f"{endpoint}/openai/v1"
            key: str | Callable[[], str] = s.azure_api_key or self._entra_provider()
            return openai.OpenAI(api_key=key, base_url=base_url + "/", **common)
        common.update(azure_endpoint=endpoint, api_version=s.azure_api_version)
        if s.azure_api_key:
            return openai.AzureOpenAI(api_key=s.azure_api_key, **common)
        return openai.AzureOpenAI(azure_ad_token_provider=self._entra_provider(), **common)

    def client(self) -> openai.OpenAI:
        """The SDK client, built once (it is thread-safe and keeps connections alive)."""
        with self._lock:
            if self._client is None:
                try:
                    self._client = self._build_client()
                except openai.OpenAIError as exc:
                    raise self._translate(exc, "", log_it=False) from exc
            return self._client

    def close(self) -> None:
        """Close the SDK client's connections (tests and benches; the app keeps engines for its life)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    # -- models ------------------------------------------------------------------------------
    def models(self) -> list[str]:
        """Configured models first, then the current GPT image models (Azure: the deployment)."""
        if self.azure:
            return [self.settings.azure_deployment] if self.settings.azure_deployment else []
        s = self.settings
        # A compatible server (OPENAI_BASE_URL) may still offer names OpenAI has shut down.
        return model_list(s.openai_model, s.openai_models, keep_retired=bool(s.openai_base_url))

    def capabilities(self, model: str | None) -> Capabilities:
        """Per model family; unknown names (and Azure deployments) count as gpt-image.

        ``model`` may be ``None`` (Azure before AZURE_OPENAI_DEPLOYMENT is set): a page can still
        draw its controls. Streaming is off when ``OPENAI_STREAM`` is.
        """
        caps = capabilities_for(model, azure=self.azure)
        if caps.streams and not self.settings.openai_stream:
            caps = replace(caps, streams=False)
        return caps

    # -- the three operations ----------------------------------------------------------------
    def generate(self, request: GenerateRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Text to image; DALL-E 3 fans out one call per picture."""
        family = family_of(request.model)
        base: dict[str, Any] = {"model": request.model, "prompt": request.prompt, "size": request.size}
        if request.quality and request.quality != "auto":
            base["quality"] = request.quality
        if request.style and family == "dall-e-3":
            base["style"] = request.style
        if family != "gpt-image":
            # GPT image models refuse response_format (they always answer in base64).
            base["response_format"] = "b64_json"
        if request.safety_identifier:
            base["safety_identifier"] = request.safety_identifier

        def call(n: int, extra: dict[str, Any]) -> Any:
            return self.client().images.generate(n=n, **base, **extra)

        return self._fan_out(
            "generate", request.model, request.n, call, progress, prompt=request.prompt, quality=request.quality
        )

    def edit(self, request: EditRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Repaint the masked part, or follow the sketch (``markup``); never both in one call."""
        caps = self.capabilities(request.model)
        if not caps.can_edit:
            raise BadInput(
                "{engine} with {model} cannot edit pictures. Choose a gpt-image model.",
                params={"engine": Msg(self.label), "model": request.model},
                code="cannot_edit",
            )
        if request.mask is not None and request.markup is not None:
            raise BadInput(
                "Paint where to change or sketch what you want: one of the two, not both at once.",
                code="mask_and_sketch",
            )
        png, size = image_png(request.image)
        kwargs = self._image_kwargs(request.model, request.size, request.quality, request.safety_identifier)
        if request.markup is not None:
            if not caps.can_sketch:
                raise BadInput(
                    "{model} cannot follow a sketch. Paint where to change instead, or choose a "
                    "model that can (gpt-image-2.5).",
                    params={"model": request.model},
                    code="cannot_sketch",
                )
            kwargs["markup"] = ("markup.png", markup_png(request.markup, size), "image/png")
        else:
            kwargs["mask"] = ("mask.png", to_openai_mask(request.required_mask(), size), "image/png")

        def call(n: int, extra: dict[str, Any]) -> Any:
            return self.client().images.edit(
                image=("image.png", png, "image/png"), prompt=request.prompt, n=n, **kwargs, **extra
            )

        return self._fan_out(
            "edit", request.model, request.n, call, progress, prompt=request.prompt, quality=request.quality
        )

    def vary(self, request: VaryRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """GPT image: an edit with the source and a prompt, no mask. dall-e-2: the variations endpoint."""
        caps = self.capabilities(request.model)
        if not caps.can_vary:
            raise BadInput(
                "{engine} with {model} cannot make variations. Choose a gpt-image model.",
                params={"engine": Msg(self.label), "model": request.model},
                code="cannot_vary",
            )
        if family_of(request.model) == "dall-e-2":
            return self._dalle2_variation(request, progress)
        if not request.prompt.strip():
            raise BadInput(
                "Please describe the variation you want: this model needs a few words to go with it.",
                code="vary_needs_words",
            )
        png, _ = image_png(request.image)
        kwargs = self._image_kwargs(request.model, request.size, "auto", request.safety_identifier)

        def call(n: int, extra: dict[str, Any]) -> Any:
            return self.client().images.edit(
                image=("image.png", png, "image/png"), prompt=request.prompt, n=n, **kwargs, **extra
            )

        return self._fan_out("vary", request.model, request.n, call, progress, prompt=request.prompt, quality=None)

    def _dalle2_variation(self, request: VaryRequest, progress: Progress | None) -> list[GeneratedImage]:
        square = square_png(request.image)
        kwargs: dict[str, Any] = {"model": request.model, "response_format": "b64_json"}
        if request.size:
            kwargs["size"] = request.size
        if request.safety_identifier:
            kwargs["safety_identifier"] = request.safety_identifier

        def call(n: int, extra: dict[str, Any]) -> Any:
            # The SDK marks create_variation deprecated (dall-e-2 is retired on OpenAI); compatible
            # servers still offer it, so it is called through the undecorated function.
            create = getattr(self.client().images.create_variation, "__wrapped__", None)
            if create is None:
                return self.client().images.create_variation(image=("image.png", square, "image/png"), n=n, **kwargs)
            return create(self.client().images, image=("image.png", square, "image/png"), n=n, **kwargs)

        return self._fan_out("vary", request.model, request.n, call, progress, prompt="", quality=None)

    def _image_kwargs(
        self, model: str, size: str | None, quality: str, safety_identifier: str | None
    ) -> dict[str, Any]:
        """The edit call's arguments shared by edits and variations."""
        kwargs: dict[str, Any] = {"model": model}
        if size:
            kwargs["size"] = size
        if quality and quality != "auto":
            kwargs["quality"] = quality
        if family_of(model) != "gpt-image":
            kwargs["response_format"] = "b64_json"
        if safety_identifier:
            kwargs["safety_identifier"] = safety_identifier
        fidelities = self.capabilities(model).input_fidelities
        if fidelities:
            # Only models that take it (never gpt-image-2): keep the student's picture as it is.
            kwargs["input_fidelity"] = "high" if "high" in fidelities else fidelities[0]
        return kwargs

    # -- shared machinery --------------------------------------------------------------------
    def _translate(self, exc: Exception, model: str, *, log_it: bool = True) -> StudioError:
        s = self.settings
        left = time_left()
        error = translate(
            exc,
            model=model,
            azure=self.azure,
            secrets=s.secrets,
            timeout=s.openai_timeout,
            deadline=s.openai_deadline_s
            if isinstance(exc, DeadlinePassed) or (left is not None and left <= 0.1)
            else None,
        )
        if log_it and not isinstance(error, Blocked):
            # Class, status and request id for whoever runs the server; never the key (scrubbed).
            log.warning(
                "%s engine error on %s: %s -> %s",
                self.name,
                model,
                describe_for_log(exc, s.secrets),
                type(error).__name__,
            )
        return error

    def _read_stream(self, stream: Any, on_partial: _OnPartial) -> tuple[list[tuple[str, None, None]], Any]:
        """The final pictures and usage of a streamed answer; partial pictures go to ``on_partial``."""
        finals: list[tuple[str, None, None]] = []
        usage: Any = None
        response = getattr(stream, "response", None)
        if response is not None and "json" in response.headers.get("content-type", ""):
            # A compatible server that ignores ``stream`` answers in one piece: take it as it is.
            with stream:
                answer = ImagesResponse.model_validate(json.loads(response.read()))
            return [(item.b64_json, None, None) for item in answer.data or [] if item.b64_json], answer.usage
        try:
            with stream:
                for event in stream:
                    kind = str(getattr(event, "type", ""))
                    if kind.endswith(".partial_image"):
                        left = time_left()
                        if left is not None and left <= 0:
                            raise DeadlinePassed("the deadline passed while the picture was drawn")
                        partial, _ = to_png(decode_b64(event.b64_json))
                        on_partial(int(getattr(event, "partial_image_index", 0) or 0), partial)
                    elif kind.endswith(".completed"):
                        finals.append((event.b64_json, None, None))
                        usage = getattr(event, "usage", None)
        except openai.APITimeoutError:
            raise
        except openai.APIConnectionError as exc:
            # The connection broke in the middle of the picture: nothing half-made is kept.
            raise EngineUnavailable(CUT_OFF_MESSAGE, detail=f"stream cut: {type(exc.__cause__).__name__}") from exc
        if not finals:
            raise EngineUnavailable(CUT_OFF_MESSAGE, detail="stream ended without a completed event")
        return finals, usage

    def _one_call(
        self,
        operation: Operation,
        model: str,
        n: int,
        call: Callable[[int, dict[str, Any]], Any],
        *,
        prompt: str,
        quality: str | None,
        on_partial: _OnPartial | None = None,
    ) -> list[GeneratedImage]:
        started = time.perf_counter()
        items: Iterable[tuple[str | None, str | None, str | None]]
        try:
            if on_partial is None:
                response = call(n, {})
                items = [
                    (item.b64_json, item.url, getattr(item, "revised_prompt", None)) for item in response.data or []
                ]
                usage = getattr(response, "usage", None)
            else:
                stream = call(n, {"stream": True, "partial_images": PARTIAL_IMAGES})
                items, usage = self._read_stream(stream, on_partial)
        except (openai.OpenAIError, ValueError, StudioError) as exc:
            if isinstance(exc, StudioError):
                self._translate(exc, model)  # logged like the others
                raise
            raise self._translate(exc, model) from exc
        extra: dict[str, Any] = {"provider": self.label}
        spent = _usage(usage)
        if spent:
            # Tokens of the whole call, shared by its ``usage_pictures`` pictures: what the class spends.
            extra["usage"] = spent
            extra["usage_pictures"] = n
        images: list[GeneratedImage] = []
        for b64, url, revised in items:
            if b64:
                raw = decode_b64(b64)
            elif url:
                raw = download(
                    url, timeout=self.settings.openai_timeout, max_bytes=self.settings.url_download_max_bytes
                )
            else:
                raise EngineUnavailable(
                    "The image service answered without a picture. Please try again.",
                    detail="image item with neither b64_json nor url",
                )
            png, size = to_png(raw)
            images.append(
                GeneratedImage(
                    png=png,
                    engine=self.name,
                    model=model,
                    operation=operation,
                    prompt_sent=prompt,
                    size=size,
                    revised_prompt=revised,
                    quality=quality,
                    elapsed_s=time.perf_counter() - started,
                    extra=extra,
                )
            )
        if not images:
            raise EngineUnavailable(
                "The image service answered without any picture. Please try again.", detail="empty data list"
            )
        return images

    def _fan_out(
        self,
        operation: Operation,
        model: str,
        total: int,
        call: Callable[[int, dict[str, Any]], Any],
        progress: Progress | None,
        *,
        prompt: str,
        quality: str | None,
    ) -> list[GeneratedImage]:
        """Run as few calls as the model allows; several at once when it makes one picture per call.

        All the calls of one request share one deadline (``OPENAI_DEADLINE_S``), retries included.
        """
        caps = self.capabilities(model)
        per_call = max(1, caps.images_per_call)
        counts = [min(per_call, total - start) for start in range(0, total, per_call)]
        self.client()  # build it here, in the caller's thread, so configuration errors surface once
        at = current_deadline() or time.monotonic() + self.settings.openai_deadline_s
        on_partial: _OnPartial | None = None
        if caps.streams and counts == [1] and wants_partials(progress):
            on_partial = lambda index, png: report_partial(progress, index, png)  # noqa: E731

        def run(n: int) -> list[GeneratedImage]:
            with deadline(at):
                return self._one_call(operation, model, n, call, prompt=prompt, quality=quality, on_partial=on_partial)

        if len(counts) == 1:
            images = run(counts[0])
            report_finished(progress, images)
            if progress:
                progress(len(images), total)
            return images
        pool = ThreadPoolExecutor(max_workers=min(len(counts), _MAX_PARALLEL), thread_name_prefix=self.name)
        futures: list[Future[list[GeneratedImage]]] = [pool.submit(run, n) for n in counts]
        done_count = 0
        try:
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    made = future.result()  # re-raises the call's StudioError here
                    report_finished(progress, made)
                    done_count += len(made)
                    if progress:
                        progress(done_count, total)
        except BaseException:
            # Do not wait for the other calls: the student sees the error now.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=False)
        return [image for future in futures for image in future.result()]


def _usage(usage: Any) -> dict[str, int]:
    """``ImagesResponse.usage`` as plain numbers of tokens. The keys avoid the word "token": the
    gallery's metadata scrubber drops every field named like a secret (``*token*``)."""
    if usage is None:
        return {}

    def number(obj: Any, name: str) -> int | None:
        value = getattr(obj, name, None)
        return int(value) if isinstance(value, int | float) else None

    details = getattr(usage, "input_tokens_details", None)
    values = {
        "input": number(usage, "input_tokens"),
        "output": number(usage, "output_tokens"),
        "total": number(usage, "total_tokens"),
        "input_text": number(details, "text_tokens"),
        "input_image": number(details, "image_tokens"),
    }
    return {name: value for name, value in values.items() if value is not None}


def create_openai_engine(settings: Settings) -> OpenAIEngine:
    """The OpenAI engine (``OPENAI_BASE_URL`` points it at any OpenAI-compatible server)."""
    return OpenAIEngine(settings, azure=False)


def create_azure_engine(settings: Settings, token_provider: Callable[[], str] | None = None) -> OpenAIEngine:
    """The Azure OpenAI engine (deployment name as model; key or Entra ID, or ``token_provider``)."""
    return OpenAIEngine(settings, azure=True, token_provider=token_provider)
