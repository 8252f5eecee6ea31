"""Picture workers under ``streamlit run``: a worker imports the app's script but never runs it.

Streamlit runs ``app.py`` as ``__main__``, so every worker process of the pool (``STUDIO_WORKERS``)
imports that file when it starts. Before ``app.py`` kept its rerun behind ``if __name__ ==
"__main__"``, each worker drew the whole app outside a session, opened the class's store and died:
every picture then fell back to the server's own thread, and on PostgreSQL thumbnails failed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.browser.conftest import launch, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def server_with_workers(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path, Path]]:
    data, log_path = tmp_path / "data", tmp_path / "streamlit.log"
    with open(log_path, "wb") as log:
        url, proc = launch(data, log, {"STUDIO_WORKERS": "2"})
    try:
        yield url, proc, data, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_pictures_are_painted_in_workers_that_never_run_the_app(
    server_with_workers: tuple[str, subprocess.Popen[bytes], Path, Path], page: object
) -> None:
    url, proc, data, log_path = server_with_workers
    page.goto(url)  # type: ignore[attr-defined]
    for prompt in ("A cat on a red boat", "An owl in a castle at night"):
        box = page.get_by_label("Describe your picture")  # type: ignore[attr-defined]
        box.fill(prompt)
        box.press("Control+Enter")
        page.get_by_role("button", name="✨ Create").click()  # type: ignore[attr-defined]
        page.locator("[data-testid='stImage'] img").first.wait_for()  # type: ignore[attr-defined]
        wait_idle(page)

    log = log_path.read_text(errors="replace")
    assert "picture workers: 2 processes" in log
    assert "worker died" not in log and "Traceback" not in log
    assert "missing ScriptRunContext" not in log  # no worker drew a page outside a session
    workers = [
        p for p in psutil.Process(proc.pid).children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())
    ]
    assert len(workers) >= 3  # the fork server and the two workers it forked, all alive
    store_files = {str(path) for path in data.rglob("*")}
    for worker in workers:
        assert not store_files & {f.path for f in worker.open_files()}  # the class's store stays the server's
    query = page.url.partition("?")[2]  # type: ignore[attr-defined]  # the student's gallery id
    page.goto(f"{url}/gallery?{query}")  # type: ignore[attr-defined]
    page.locator("[data-testid='stImage'] img").nth(1).wait_for()  # type: ignore[attr-defined]  # both kept
