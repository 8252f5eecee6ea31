"""Browser tests: a real ``streamlit run`` server and Debian's headless Chromium via Playwright.

No browser is downloaded: Playwright drives ``/usr/bin/chromium`` (``executable_path``) with the
flags this machine's closed network needs (see shared/research/drawable-canvas.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Only variables the app reads may leak into the server: never the developer's real keys.
_STRIP = ("OPENAI_", "AZURE_", "STUDIO_", "TEACHER_", "DIFFUSERS_", "AWS_")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            if requests.get(f"{url}/_stcore/health", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)  # polling interval for a condition, not a synchronisation sleep
    raise RuntimeError("streamlit did not become healthy in time")


StartApp = Callable[..., str]


def launch(data_dir: Path, log: IO[bytes], env: dict[str, str]) -> tuple[str, subprocess.Popen[bytes]]:
    """``streamlit run app.py`` on a free port with a fresh data folder and ``env``, its output in
    ``log``; returns its base URL once healthy, and the process (the caller stops it)."""
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_STRIP)}
    clean.update({"STUDIO_DATA_DIR": str(data_dir), "PYTHONWARNINGS": "default"}, **env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=clean, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return url, proc


@pytest.fixture(scope="session")
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartApp]:
    """Start ``streamlit run app.py`` with extra environment; returns its base URL."""
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[object] = []

    def start(**env: str) -> str:
        log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "wb")  # noqa: SIM115
        logs.append(log)
        url, proc = launch(tmp_path_factory.mktemp("data"), log, env)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for log in logs:
        log.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: scripts/test installs it with apt-get.")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)  # type: ignore[attr-defined]
