"""The query page people open: drive the served YASGUI page in headless Chromium (Debian's chromium
and chromedriver), run a typed or a listed stored query and read the answer off the page."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,860"]


def available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and shutil.which("chromedriver") is not None


@contextmanager
def chromium():
    """A headless Chromium session with a fresh profile, closed afterwards."""
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="nscr-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _result_text(driver, wait, expect: str, screenshot: Path | None) -> str:
    from selenium.webdriver.common.by import By

    def shown(d):
        texts = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".yasr") if e.is_displayed()]
        return next((t for t in texts if expect in t), False)
    text = wait.until(shown)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
    return text


def run_in_ui(page_url: str, query_text: str, expect: str, screenshot: Path | None = None, seconds: float = 30) -> str:
    """Open the page, put the query in the editor, press run, wait until `expect` shows; return the result text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    with chromium() as driver:
        driver.get(page_url)
        wait = WebDriverWait(driver, seconds)
        wait.until(lambda d: d.execute_script("return !!document.querySelector('.CodeMirror')"))
        driver.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0]);", query_text)
        driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
        return _result_text(driver, wait, expect, screenshot)


def run_stored_in_ui(page_url: str, title: str, expect: str, screenshot: Path | None = None,
                     seconds: float = 30) -> tuple[str, str, str]:
    """Open the page, click the stored query listed under `title`, wait until `expect` shows in its tab;
    return (the editor's text before the click, the new tab's name, the result text)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    with chromium() as driver:
        driver.get(page_url)
        wait = WebDriverWait(driver, seconds)
        wait.until(lambda d: d.execute_script("return !!document.querySelector('.CodeMirror')"))
        starter = driver.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue();")
        button = next(b for b in driver.find_elements(By.CSS_SELECTOR, "#nscr-examples button") if b.text == title)
        button.click()
        text = _result_text(driver, wait, expect, screenshot)
        tab = driver.execute_script("return yasgui.getTab().getName();")
        return starter, tab, text


def page_text(url: str, seconds: float = 30) -> tuple[str, list[str]]:
    """Open a page; return its visible text and the targets of its links."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    with chromium() as driver:
        driver.get(url)
        WebDriverWait(driver, seconds).until(lambda d: d.find_elements(By.TAG_NAME, "h1"))
        links = [a.get_attribute("href") for a in driver.find_elements(By.TAG_NAME, "a")]
        return driver.find_element(By.TAG_NAME, "body").text, links
