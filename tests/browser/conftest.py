"""Shared by the browser tests: one headless Chromium (Debian's) per module, driven by Playwright."""

import shutil

import pytest

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    if CHROMIUM is None:
        pytest.skip("no Chromium executable on PATH (apt-get install chromium)")
    try:
        with sync_api.sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield chromium
            chromium.close()
    except sync_api.Error as error:  # an installed Chromium that cannot start here
        pytest.skip(f"Chromium at {CHROMIUM} cannot be started by Playwright: {error}")
