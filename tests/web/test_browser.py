"""A real browser (Debian's chromium, driven by Selenium through chromium-driver)
over the analysed dev corpus, served by `compoundwatch serve` in a child process.

It checks what a person sees, that the strict CSP blocks nothing the pages
need, and that the feedback form works with the browser's own cookies.
With COMPOUNDWATCH_SCREENSHOTS=1 it also refreshes the README's screenshots
in docs/img/ (otherwise they go to the test's temporary folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.delivery.smtpd import free_port
from tests.support import REPO
from tests.web.corpus_store import build_corpus_store, serving

DESKTOP, PHONE = (1280, 900), (390, 844)


def _binary(*names: str) -> str:
    for name in names:
        if path := shutil.which(name):
            return path
    # Not a skip: CI installs chromium and chromium-driver (see .ci/run).
    raise AssertionError(f"{names[0]} is required (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = build_corpus_store(tmp_path_factory.mktemp("corpus"))
    with serving(config, free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--hide-scrollbars",
                 f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path=_binary("chromedriver")))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shoot(driver: WebDriver, name: str, size: tuple[int, int], tmp: Path) -> Path:
    driver.set_window_size(*size)
    folder = REPO / "docs" / "img" if os.environ.get("COMPOUNDWATCH_SCREENSHOTS") else tmp
    path = folder / f"{name}.png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size[0], min(max(int(height), size[1]), size[1] * 2))
    assert driver.save_screenshot(str(path))
    driver.set_window_size(*size)
    return path


def csp_violations(driver: WebDriver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")
            if "Content Security Policy" in e["message"] or "Refused to" in e["message"]]


def test_the_alerts_page_shows_the_corpus_alerts(site: str, browser: WebDriver,
                                                 tmp_path: Path) -> None:
    browser.set_window_size(*DESKTOP)
    browser.get(site + "alerts")
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article.alert h3")]
    assert any(h.startswith("Figure changed:") for h in headings)
    assert any(h.startswith("New raid:") for h in headings)
    first = browser.find_element(By.CSS_SELECTOR, "article.alert")
    assert first.find_element(By.TAG_NAME, "blockquote").text.strip()
    assert first.find_elements(By.CSS_SELECTOR, ".sources li a")
    # The stylesheet applied (the CSP allows it): cards have their coloured edge.
    assert first.value_of_css_property("border-left-style") == "solid"
    assert csp_violations(browser) == []
    shoot(browser, "web-alerts-desktop", DESKTOP, tmp_path)
    shoot(browser, "web-alerts-phone", PHONE, tmp_path)


def test_a_figure_page_draws_its_chart_beside_the_table(site: str, browser: WebDriver,
                                                       tmp_path: Path) -> None:
    browser.set_window_size(*DESKTOP)
    browser.get(site + "figures")
    # The figure seen most often (its chart has the most to show).
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    busiest = max(rows, key=lambda r: int(r.find_elements(By.TAG_NAME, "td")[4].text))
    busiest.find_element(By.TAG_NAME, "a").click()
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.is_displayed() and chart.size["width"] > 300
    dots = browser.find_elements(By.CSS_SELECTOR, "svg.chart circle.dot")
    assert dots and dots[0].value_of_css_property("fill") != "rgb(0, 0, 0)"  # styled by CSS
    rows = browser.find_elements(By.CSS_SELECTOR, "table.observations tbody tr")
    assert len(rows) >= len(dots)
    assert "seed" in rows[0].text
    table = browser.find_element(By.CSS_SELECTOR, "table.series")
    assert table.location["x"] > chart.location["x"]  # beside it on a desktop
    assert csp_violations(browser) == []
    shoot(browser, "web-figure-desktop", DESKTOP, tmp_path)
    browser.set_window_size(*PHONE)
    assert table.location["y"] > chart.location["y"]  # below it on a phone
    shoot(browser, "web-figure-phone", PHONE, tmp_path)


def test_searching_from_the_header_finds_articles(site: str, browser: WebDriver,
                                                  tmp_path: Path) -> None:
    browser.set_window_size(*DESKTOP)
    browser.get(site)
    box = browser.find_element(By.CSS_SELECTOR, "header .search input[name=q]")
    box.send_keys("casino\n")
    results = browser.find_elements(By.CSS_SELECTOR, "ol.results li a.title")
    assert results and "q=casino" in browser.current_url
    assert all("casino" in r.find_element(By.XPATH, "..").text.lower() for r in results)
    results[0].click()
    assert "casino" in browser.find_element(By.CSS_SELECTOR, "div.text").text.lower()
    shoot(browser, "web-search-desktop", DESKTOP, tmp_path)


def test_marking_an_alert_in_the_browser_dismisses_it(site: str, browser: WebDriver) -> None:
    browser.set_window_size(*DESKTOP)
    browser.get(site + "alerts?kind=new_raid")
    card = browser.find_element(By.CSS_SELECTOR, "article.alert")
    card_id = card.get_attribute("id")
    card.find_element(By.CSS_SELECTOR, "details.feedback summary").click()
    card.find_element(By.CSS_SELECTOR, "input[value=not_story]").click()
    card.find_element(By.CSS_SELECTOR, "input[name=reason]").send_keys("a test of the form")
    card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "marked" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    again = browser.find_element(By.ID, card_id)
    assert "not the story: a test of the form" in again.find_element(By.CSS_SELECTOR, ".mark").text
    assert "kind=new_raid" in browser.current_url
