"""School sign-in in a real browser, against a real OpenID Connect provider (oidc-provider-mock,
started by a fixture): the whole st.login round trip, a gallery that follows the account to a
second device, a teacher let in by TEACHER_EMAILS, and a signed-out link that opens nothing."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import _STRIP, ARTIFACTS, ROOT, _free_port, _wait_healthy, wait_idle
from tests.store_servers import wait_for_port

TEACHER = {"sub": "teacher-1", "email": "Ms.Hopper@school.example", "name": "Grace Hopper"}
STUDENT = {"sub": "student-1", "email": "ada@school.example", "name": "Ada Lovelace"}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock's server on a free port, with one teacher and one student account."""
    if importlib.util.find_spec("oidc_provider_mock") is None:  # not imported here: it warns about authlib.jose
        pytest.fail("oidc-provider-mock is not installed (requirements-dev.txt)")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "-H", "127.0.0.1", "-p", str(port),
         "--user-claims", json.dumps(TEACHER), "--user-claims", json.dumps(STUDENT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def app_url(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` with an ``[auth]`` section pointing at the provider."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("signin")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f'TEACHER_EMAILS = "ms.hopper@school.example"\n\n[auth]\nredirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "test-cookie-secret-0123456789"\nclient_id = "image-studio"\n'
        f'client_secret = "image-studio-secret"\nserver_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(_STRIP)}
    env.update(STUDIO_DATA_DIR=str(folder / "data"), STUDIO_ENGINE="storybook", AUTHLIB_INSECURE_TRANSPORT="1")
    log = (folder / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--secrets.files", str(secrets)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def sign_in(browser: Any, url: str, account: dict[str, str], path: str = "") -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url + path)
    wait_idle(page)
    page.get_by_role("button", name="🔐 Sign in with your school account").click()
    page.get_by_role("button", name=account["sub"]).click()  # the provider's own page: one click per user
    page.get_by_text(f"Signed in as {account['name']}").wait_for()
    wait_idle(page)
    return page


def owner_of(page: Any) -> str:
    page.wait_for_url(re.compile(r"[?&]u="))
    return parse_qs(urlparse(page.url).query)["u"][0]


@pytest.mark.browser
def test_sign_in_round_trip_gallery_follows_the_account_teacher_by_email(app_url: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    laptop = sign_in(browser, app_url, STUDENT)
    owner = owner_of(laptop)
    laptop.get_by_label("Describe your picture").fill("the Taj Mahal on the moon")
    laptop.get_by_role("button", name="Create").click()
    laptop.locator("[data-testid='stImage']").first.wait_for()
    wait_idle(laptop)
    laptop.screenshot(path=str(ARTIFACTS / "signin_1_student.png"), full_page=True)

    # Another device, the same account: the same gallery.
    chromebook = sign_in(browser, app_url, STUDENT)
    assert owner_of(chromebook) == owner
    chromebook.get_by_role("link", name="Gallery").click()
    chromebook.get_by_text("the Taj Mahal on the moon").first.wait_for()

    # The teacher's account is in TEACHER_EMAILS (in another case): the Teacher page opens, no passcode.
    teacher = sign_in(browser, app_url, TEACHER)
    teacher.get_by_role("link", name="Teacher").click()
    teacher.get_by_role("tab", name="🖼️ Class").wait_for()
    wall = teacher.locator("[data-testid='stTabPanel']").first
    wall.get_by_test_id("stText").filter(has_text=re.compile("^Ada Lovelace$")).first.wait_for()
    wall.get_by_text("the Taj Mahal on the moon").first.wait_for()
    assert teacher.get_by_label("Teacher passcode").count() == 0
    teacher.screenshot(path=str(ARTIFACTS / "signin_2_teacher.png"), full_page=True)

    # Signed out, the account's gallery link opens nothing of hers on the shared Chromebook.
    chromebook.get_by_role("button", name="Sign out").click()
    chromebook.get_by_role("button", name="End session").click()  # the provider asks, then sends us back
    chromebook.get_by_role("button", name="🔐 Sign in with your school account").wait_for()
    chromebook.goto(f"{app_url}/gallery?u={owner}")
    chromebook.get_by_text("No pictures yet").wait_for()
    assert owner_of(chromebook) != owner
    chromebook.screenshot(path=str(ARTIFACTS / "signin_3_signed_out.png"), full_page=True)
    for page in (laptop, chromebook, teacher):
        page.context.close()


def test_the_secrets_example_documents_sign_in() -> None:
    example = (Path(ROOT) / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    assert "[auth]" in example and "TEACHER_EMAILS" in example and "server_metadata_url" in example
