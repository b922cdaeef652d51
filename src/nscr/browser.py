"""The query page people open: drive the Oxigraph server's YASGUI page in headless Chromium
(Debian's chromium and chromedriver), run a stored query and read the answer off the page."""
from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,860"]


def available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and shutil.which("chromedriver") is not None


def run_in_ui(page_url: str, query_text: str, expect: str, screenshot: Path | None = None, seconds: float = 30) -> str:
    """Open the page, put the query in the editor, press run, wait until `expect` shows; return the result text."""
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="nscr-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(page_url)
        wait = WebDriverWait(driver, seconds)
        wait.until(lambda d: d.execute_script("return !!document.querySelector('.CodeMirror')"))
        driver.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0]);", query_text)
        driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
        wait.until(lambda d: expect in d.find_element(By.CSS_SELECTOR, ".yasr").text)
        text = driver.find_element(By.CSS_SELECTOR, ".yasr").text
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(screenshot))
        return text
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
