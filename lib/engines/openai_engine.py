"""The hosted engines: OpenAI (or any OpenAI-compatible server) and Azure OpenAI, via the official SDK.

One class serves both; only the client and the wording differ. On Azure the "model" is the
deployment name. Where a model makes one picture per call (DALL-E 3), calls run side by side in
worker threads, and ``progress`` is called from the caller's thread as each call finishes.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any
from urllib.parse import urlsplit

import openai

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
)
from lib.engines.openai_errors import translate
from lib.engines.openai_models import capabilities_for, family_of, model_list
from lib.engines.openai_output import decode_b64, download, image_png, square_png, to_png
from lib.errors import BadInput, EngineUnavailable, NotConfigured, StudioError
from lib.imaging import to_openai_mask
from lib.settings import Settings

_WHERE = "in .env, in .streamlit/secrets.toml or in the environment"
_ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default"
#: Most calls in flight at once for one request (DALL-E 3 fan-out).
_MAX_PARALLEL = 8


def _azure_identity_installed() -> bool:
    try:
        return importlib.util.find_spec("azure.identity") is not None
    except (ImportError, ValueError):
        return False


class OpenAIEngine(Engine):
    """OpenAI or Azure OpenAI image generation, edits and variations."""

    hosted = True

    def __init__(self, settings: Settings, *, azure: bool) -> None:
        self.settings = settings
        self.azure = azure
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
            how = f"Set {' and '.join(missing)} {_WHERE}."
            if not self.azure:
                how += " For an OpenAI-compatible server, also set OPENAI_BASE_URL (any key text it accepts)."
            return EngineStatus(configured=False, summary=f"{self.label} is not set up.", how_to_configure=how)
        s = self.settings
        if self.azure and not s.azure_api_key and not _azure_identity_installed():
            return EngineStatus(
                configured=False,
                summary="Azure OpenAI sign-in with Entra ID needs the azure-identity package.",
                how_to_configure="Run `pip install azure-identity`, or set AZURE_OPENAI_API_KEY " + _WHERE + ".",
            )
        if self.azure:
            host = urlsplit(s.azure_endpoint or "").hostname or "Azure"
            summary = f"Azure OpenAI is ready: deployment {s.azure_deployment} on {host}."
        elif s.openai_base_url:
            summary = f"Ready: OpenAI-compatible server at {urlsplit(s.openai_base_url).netloc or s.openai_base_url}."
        else:
            summary = f"OpenAI is ready (default model {s.openai_model})."
        return EngineStatus(configured=True, summary=summary)

    def _build_client(self) -> openai.OpenAI:
        s = self.settings
        if self._missing():
            raise NotConfigured(f"{self.label} is not set up yet. {self.status().how_to_configure}")
        if not self.azure:
            return openai.OpenAI(
                api_key=s.openai_api_key,
                base_url=s.openai_base_url,
                timeout=s.openai_timeout,
                max_retries=s.openai_max_retries,
            )
        common: dict[str, Any] = {
            "azure_endpoint": s.azure_endpoint,
            "api_version": s.azure_api_version,
            "timeout": s.openai_timeout,
            "max_retries": s.openai_max_retries,
        }
        if s.azure_api_key:
            return openai.AzureOpenAI(api_key=s.azure_api_key, **common)
        try:
            from azure.identity import DefaultAzureCredential, get_bearer_token_provider
        except ImportError as exc:
            raise NotConfigured(
                "Azure OpenAI sign-in with Entra ID needs the azure-identity package: run `pip install "
                "azure-identity`, or set AZURE_OPENAI_API_KEY " + _WHERE + "."
            ) from exc
        provider = get_bearer_token_provider(DefaultAzureCredential(), _ENTRA_SCOPE)
        return openai.AzureOpenAI(azure_ad_token_provider=provider, **common)

    def client(self) -> openai.OpenAI:
        """The SDK client, built once (it is thread-safe and keeps connections alive)."""
        with self._lock:
            if self._client is None:
                try:
                    self._client = self._build_client()
                except openai.OpenAIError as exc:
                    raise self._translate(exc, "") from exc
            return self._client

    def close(self) -> None:
        """Close the SDK client's connections (tests and benches; the app keeps engines for its life)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    # -- models ------------------------------------------------------------------------------
    def models(self) -> list[str]:
        """Configured model first, then the known GPT image models (Azure: the deployment)."""
        if self.azure:
            return [self.settings.azure_deployment] if self.settings.azure_deployment else []
        return model_list(self.settings.openai_model, self.settings.openai_models)

    def capabilities(self, model: str) -> Capabilities:
        """Per model family; unknown names (and Azure deployments) count as gpt-image."""
        return capabilities_for(model, azure=self.azure)

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

        def call(n: int) -> Any:
            return self.client().images.generate(n=n, **base)

        return self._fan_out(
            "generate", request.model, request.n, call, progress, prompt=request.prompt, quality=request.quality
        )

    def edit(self, request: EditRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Repaint the masked part; the app's mask is converted to OpenAI's alpha mask."""
        caps = self.capabilities(request.model)
        if not caps.can_edit:
            raise BadInput(f"{self.label} with {request.model} cannot edit pictures. Choose a gpt-image model.")
        png, size = image_png(request.image)
        mask = to_openai_mask(request.mask, size)
        kwargs = self._image_kwargs(request.model, request.size, request.quality, request.safety_identifier)
        kwargs["mask"] = ("mask.png", mask, "image/png")

        def call(n: int) -> Any:
            return self.client().images.edit(
                image=("image.png", png, "image/png"), prompt=request.prompt, n=n, **kwargs
            )

        return self._fan_out(
            "edit", request.model, request.n, call, progress, prompt=request.prompt, quality=request.quality
        )

    def vary(self, request: VaryRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """GPT image: an edit with the source and a prompt, no mask. dall-e-2: the variations endpoint."""
        caps = self.capabilities(request.model)
        if not caps.can_vary:
            raise BadInput(f"{self.label} with {request.model} cannot make variations. Choose a gpt-image model.")
        if family_of(request.model) == "dall-e-2":
            return self._dalle2_variation(request, progress)
        if not request.prompt.strip():
            raise BadInput("Please describe the variation you want: this model needs a few words to go with it.")
        png, _ = image_png(request.image)
        kwargs = self._image_kwargs(request.model, request.size, "auto", request.safety_identifier)

        def call(n: int) -> Any:
            return self.client().images.edit(
                image=("image.png", png, "image/png"), prompt=request.prompt, n=n, **kwargs
            )

        return self._fan_out("vary", request.model, request.n, call, progress, prompt=request.prompt, quality=None)

    def _dalle2_variation(self, request: VaryRequest, progress: Progress | None) -> list[GeneratedImage]:
        square = square_png(request.image)
        kwargs: dict[str, Any] = {"model": request.model, "response_format": "b64_json"}
        if request.size:
            kwargs["size"] = request.size
        if request.safety_identifier:
            kwargs["safety_identifier"] = request.safety_identifier

        def call(n: int) -> Any:
            # The SDK marks create_variation deprecated (dall-e-2 is retired on OpenAI); compatible
            # servers still offer it, so it is called through the undecorated function.
            create = getattr(self.client().images.create_variation, "__wrapped__", None)
            if create is None:
                return self.client().images.create_variation(image=("image.png", square, "image/png"), n=n, **kwargs)
            return create(self.client().images, image=("image.png", square, "image/png"), n=n, **kwargs)

        return self._fan_out("vary", request.model, request.n, call, progress, prompt="", quality=None)

    @staticmethod
    def _image_kwargs(model: str, size: str | None, quality: str, safety_identifier: str | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"model": model}
        if size:
            kwargs["size"] = size
        if quality and quality != "auto":
            kwargs["quality"] = quality
        if family_of(model) != "gpt-image":
            kwargs["response_format"] = "b64_json"
        if safety_identifier:
            kwargs["safety_identifier"] = safety_identifier
        return kwargs

    # -- shared machinery --------------------------------------------------------------------
    def _translate(self, exc: Exception, model: str) -> StudioError:
        return translate(
            exc, model=model, azure=self.azure, secrets=self.settings.secrets, timeout=self.settings.openai_timeout
        )

    def _one_call(
        self,
        operation: Operation,
        model: str,
        n: int,
        call: Callable[[int], Any],
        *,
        prompt: str,
        quality: str | None,
    ) -> list[GeneratedImage]:
        started = time.perf_counter()
        try:
            response = call(n)
        except (openai.OpenAIError, ValueError) as exc:
            raise self._translate(exc, model) from exc
        images: list[GeneratedImage] = []
        for item in response.data or []:
            if item.b64_json:
                raw = decode_b64(item.b64_json)
            elif item.url:
                raw = download(
                    item.url, timeout=self.settings.openai_timeout, max_bytes=self.settings.url_download_max_bytes
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
                    revised_prompt=getattr(item, "revised_prompt", None),
                    quality=quality,
                    elapsed_s=time.perf_counter() - started,
                    extra={"provider": self.label},
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
        call: Callable[[int], Any],
        progress: Progress | None,
        *,
        prompt: str,
        quality: str | None,
    ) -> list[GeneratedImage]:
        """Run as few calls as the model allows; several at once when it makes one picture per call."""
        per_call = max(1, self.capabilities(model).images_per_call)
        counts = [min(per_call, total - start) for start in range(0, total, per_call)]
        self.client()  # build it here, in the caller's thread, so configuration errors surface once

        def run(n: int) -> list[GeneratedImage]:
            return self._one_call(operation, model, n, call, prompt=prompt, quality=quality)

        if len(counts) == 1:
            images = run(counts[0])
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
                    done_count += len(future.result())  # re-raises the call's StudioError here
                    if progress:
                        progress(done_count, total)
        except BaseException:
            # Do not wait for the other calls: the student sees the error now.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=False)
        return [image for future in futures for image in future.result()]


def create_openai_engine(settings: Settings) -> OpenAIEngine:
    """The OpenAI engine (``OPENAI_BASE_URL`` points it at any OpenAI-compatible server)."""
    return OpenAIEngine(settings, azure=False)


def create_azure_engine(settings: Settings) -> OpenAIEngine:
    """The Azure OpenAI engine (deployment name as model; key or Entra ID)."""
    return OpenAIEngine(settings, azure=True)
