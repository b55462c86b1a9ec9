"""The review page in a real browser: Debian's Chromium, headless, driven by selenium
through Debian's /usr/bin/chromedriver. Nothing is downloaded: the driver is given by
path and Selenium Manager is kept offline.

The page is the one `cardscan ingest samples/` wrote (the session's samples book). The
test checks every sample card and its fields, the outlines of a field's words, the keys
and the filters; corrects a field, saves the corrections (the download goes to a folder
set through the DevTools protocol), applies the file with the real CLI and finds the
change in the book. It keeps screenshots (wide and phone width) and a print as PDF in
test-artifacts/.

Skipped only when Chromium or its driver is not installed; `./dev test` installs both,
so CI runs it.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ALL_SAMPLES, ROOT, run_cli

from cardscan.book import Book
from cardscan.book import columns as col

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.is_file() and DRIVER.is_file()),
    reason="Chromium is not installed (/usr/bin/chromium and /usr/bin/chromedriver): "
    "./dev test installs them, or apt-get install chromium chromium-driver",
)

CHLOE = "au-upside-down-wood"


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, Path]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,2000",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    try:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        yield driver, downloads
    finally:
        driver.quit()


def _wait(test: object, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_review_page_in_chromium(samples_book: Path, browser: tuple[object, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select

    driver, downloads = browser
    assert isinstance(driver, WebDriver)
    ARTIFACTS.mkdir(exist_ok=True)
    folder = samples_book.parent
    driver.get((folder / "contacts.review.html").as_uri())

    # Every sample card, with its straightened crop and the fields read from it.
    cards = driver.find_elements(By.CSS_SELECTOR, "article.card")
    assert len(cards) == len(ALL_SAMPLES)
    summary = driver.find_element(By.CSS_SELECTOR, ".counts").text
    assert f"{len(ALL_SAMPLES)} cards" in summary.replace("\n", " ")
    assert cards[0].get_attribute("data-status") == "needs_review"
    assert "Needs review" in cards[0].find_element(By.CSS_SELECTOR, ".status").text
    by_photo = {Path(str(c.get_attribute("data-source"))).name: c for c in cards}
    for sample in ALL_SAMPLES:
        card = by_photo[sample.photo.name]
        fields = {
            str(i.get_attribute("name")): str(i.get_attribute("value"))
            for i in card.find_elements(By.CSS_SELECTOR, ".field input")
        }
        want = sample.contact
        for email in want["emails"]:
            assert email.casefold() in fields[col.EMAILS].casefold(), sample.name
        if want["name"]:
            assert fields[col.NAME].casefold() == want["name"].casefold(), sample.name
    driver.execute_script(
        "document.querySelectorAll('.crop img').forEach(function (i) { i.loading = 'eager'; });"
    )
    _wait(
        lambda: driver.execute_script(
            "return Array.from(document.querySelectorAll('.crop img'))"
            ".every(function (i) { return i.complete && i.naturalWidth > 0; });"
        ),
        "every card image to load",
    )
    # One per card, and the backs of two-sided cards beside their fronts.
    assert len(driver.find_elements(By.CSS_SELECTOR, ".crop:not(.back) img")) == len(ALL_SAMPLES)

    # Hovering a field outlines its words on the card, and only those.
    chloe = by_photo[f"{CHLOE}.jpg"]
    title = chloe.find_element(By.CSS_SELECTOR, "input[name='Title']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", title)
    ActionChains(driver).move_to_element(title).perform()
    lit = chloe.find_elements(By.CSS_SELECTOR, "rect.box.on")
    assert lit and {r.get_attribute("data-field") for r in lit} == {"title"}
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()
    assert not chloe.find_elements(By.CSS_SELECTOR, "rect.box.on")

    # j / k move between cards.
    def focused() -> str:
        return str(driver.execute_script("return document.activeElement.id"))

    ActionChains(driver).send_keys("j").perform()
    assert focused() == cards[0].get_attribute("id")
    ActionChains(driver).send_keys("j").perform()
    assert focused() == cards[1].get_attribute("id")
    ActionChains(driver).send_keys("k").perform()
    assert focused() == cards[0].get_attribute("id")

    # Filters by status and by event.
    review = [c for c in cards if c.get_attribute("data-status") == "needs_review"]
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("needs_review")
    assert [c for c in cards if c.is_displayed()] == review
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("")
    Select(driver.find_element(By.ID, "filter-event")).select_by_visible_text("Chicago Tech Mixer")
    assert all(c.is_displayed() for c in cards)

    # Correct a field: it is marked as edited, and counted.
    title.clear()
    title.send_keys("Principal Engineer")
    edited = chloe.find_element(By.CSS_SELECTOR, "input[name='Title'] ~ .marks .mark.edited")
    assert edited.is_displayed() and "edited" in edited.text
    assert driver.find_element(By.ID, "edits").text == "1 field corrected on 1 card."
    driver.execute_script("window.scrollTo(0, 0);")
    driver.save_screenshot(str(ARTIFACTS / "review-page.png"))

    # Save: the corrections file downloads; apply puts it into the book.
    driver.find_element(By.ID, "save").click()
    _wait(lambda: [p for p in downloads.glob("*.json")], "the corrections download")
    (saved,) = downloads.glob("*.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "cardscan-corrections" and len(data["cards"]) == 1
    assert saved.name in driver.find_element(By.ID, "saved").text
    done = run_cli("apply", str(saved), "--book", "contacts.xlsx", cwd=folder)
    assert done.returncode == 0, done.stderr
    with Book.open(samples_book, read_only=True) as book:
        rows = [r for r in book.rows() if r[col.CARD_IDS] == data["cards"][0]["card_id"]]
    assert [r[col.TITLE] for r in rows] == ["Principal Engineer"]

    # Nothing went wrong in the page: no script error, nothing refused by its policy.
    problems = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []

    # Print: the tools go, the cards stay.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    toolbar = driver.find_element(By.CSS_SELECTOR, ".toolbar")
    assert toolbar.value_of_css_property("display") == "none"
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    (ARTIFACTS / "review-page.pdf").write_bytes(base64.b64decode(pdf["data"]))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # Phone width: the card above its fields, nothing wider than the screen.
    driver.set_window_size(390, 1600)
    driver.get((folder / "contacts.review.html").as_uri())
    first = driver.find_element(By.CSS_SELECTOR, "article.card")
    crop = first.find_element(By.CSS_SELECTOR, ".crop")
    fields = first.find_element(By.CSS_SELECTOR, ".fields")
    assert fields.location["y"] >= crop.location["y"] + crop.size["height"]
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    driver.save_screenshot(str(ARTIFACTS / "review-page-phone.png"))
