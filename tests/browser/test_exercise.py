"""The HTML worksheet as a student uses it: headless Chromium driven by Playwright.

Types a right answer, a wrong one and a non-number into blanks and checks the feedback
(on the input, its message and the box on the picture), presses "show the step" and
checks that the step's frame is shown; a sheet without answers checks nothing. Uses
the system Chromium and Playwright, as tests/browser/test_pages.py does; skipped,
saying why, when either is missing.
"""

from __future__ import annotations

import base64
import shutil

import pytest

import graphstep as gs

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.backend]

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
if CHROMIUM is None:
    pytest.skip("no Chromium executable on PATH (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("request", lambda request: errors.append(f"network: {request.url}")
           if not request.url.startswith(("file:", "data:")) else None)
    tab.errors = errors
    yield tab
    context.close()


@pytest.fixture
def sheet(dot_backend):
    g = gs.parse("x * exp(x^2)", x=1.5)
    return gs.exercise(g, hide="adjoints")


def _answer(page, n: int, text: str) -> str:
    field = page.locator(f"#gs-q{n} input")
    field.fill(text)
    field.press("Enter")
    return page.locator(f"#gs-q{n} .gs-feedback").inner_text()


def test_right_and_wrong_answers_are_marked(page, sheet, tmp_path):
    page.goto(sheet.to_html(tmp_path / "sheet.html").as_uri())
    q1, q2, q3 = sheet.questions
    assert q1.text == "ū₂ = ∂u₃/∂u₂ = ?" and q1.answer == pytest.approx(1.5)
    assert "right" in _answer(page, 1, "1.5")
    assert "gs-right" in page.locator("#gs-q1 input").get_attribute("class")
    box = page.locator('.gs-picture rect.gs-blank[data-q="1"]')
    assert "gs-right" in box.get_attribute("class")
    # 14.23 rounds the true 14.2316 to 4 digits: right; 14.3 is 0.5 % off: wrong
    assert "right" in _answer(page, 2, "14.23")
    assert "not yet" in _answer(page, 2, "14.3")
    assert "gs-wrong" in page.locator('.gs-picture rect.gs-blank[data-q="2"]').get_attribute("class")
    for typed in ("52.18 + alert(1)", "Infinity", "0x34", "1/2", "5e1e1", "NaN", "--52"):
        assert "a number" in _answer(page, 3, typed), typed  # read as a number or refused, never run
    assert "right" in _answer(page, 3, "52,18")  # a decimal comma is read as a point
    assert page.locator(".gs-summary").inner_text() == "2 of 3 right"
    page.screenshot(path=str(tmp_path / "checked.png"))
    assert page.errors == []


def test_the_checks_agree_with_python(page, sheet, tmp_path):
    page.goto(sheet.to_html(tmp_path / "sheet.html").as_uri())
    q = sheet.questions[2]
    for typed in ("52.2", "52.13", "52.24", "5.218e1", "-52.18", "52.1826"):
        shown = _answer(page, 3, typed)
        assert ("right" in shown) is q.check(float(typed)), typed


def test_show_the_step_reveals_its_frame(page, sheet, tmp_path):
    page.goto(sheet.to_html(tmp_path / "sheet.html").as_uri())
    step = page.locator("#gs-q3 .gs-step")
    assert not step.is_visible()
    page.locator("#gs-q3 button.gs-show").click()
    assert step.is_visible()
    image = step.locator("img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 100")
    source = image.get_attribute("src")
    frame = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
    assert "x̄ = ū₁ · 2·x + ū₃ · u₂" in frame  # the caption of the reverse step that computes x̄
    assert page.locator("#gs-q3 button.gs-show").inner_text() == "hide the step"
    page.locator("#gs-q3 button.gs-show").click()
    assert not step.is_visible()
    assert page.errors == []


def test_clicking_a_box_focuses_its_question(page, sheet, tmp_path):
    page.goto(sheet.to_html(tmp_path / "sheet.html").as_uri())
    page.locator('.gs-picture text.gs-blank-label[data-q="2"]').click()
    assert page.evaluate("document.activeElement.id") == "gs-in2"


def test_a_sheet_without_answers_checks_nothing(page, sheet, tmp_path):
    path = sheet.to_html(tmp_path / "plain.html", answers=False)
    text = path.read_text()
    assert "52.18" not in text and "14.2316" not in text  # x̄ and ū₁ (u₃ = 14.23 is shown)
    assert '"answer"' not in text and "data:image" not in text
    page.goto(path.as_uri())
    field = page.locator("#gs-q1 input")
    field.fill("1.5")
    field.press("Enter")
    assert page.locator("#gs-q1 .gs-feedback").count() == 0
    assert "gs-right" not in (field.get_attribute("class") or "")
    assert page.locator("button.gs-show").count() == 0
    assert page.errors == []
