from pathlib import Path

from playwright.sync_api import sync_playwright

URL = "http://localhost:5173"
Path("screenshots").mkdir(exist_ok=True)
with sync_playwright() as p:
    browser = p.chromium.launch(headless=True)
    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(URL)
    page.wait_for_load_state("networkidle")
    page.screenshot(path="screenshots/home.png", full_page=True)
    page.get_by_role("button", name="Sign in").click()
    page.screenshot(path="screenshots/sign-in.png")
    browser.close()
print("console errors:", errors or "none")
