#!/usr/bin/env python3
"""Drives mizan's page in headless Chromium (WebDriver, selenium) for tests/integration/web.rs.

Usage: web_drive.py BASE_URL PLAN.json OUT.json

PLAN.json names the inputs (query, term, files, screenshot folder or null); the script does what a
translator would do and writes what the page showed to OUT.json. The Rust test decides whether that
is right (it compares with the CLI's answers and the TM); this script only fails when the page does
not get to a state at all (an element that never appears), with the page's text in the message.
"""
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager go to the network

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def start_browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("MIZAN_CHROMIUM", "/usr/bin/chromium")
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--lang=en-US",
        f"--user-data-dir={profile}",
    ]:
        opts.add_argument(flag)
    service = Service(os.environ.get("MIZAN_CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=opts)


def main():
    base, plan_path, out_path = sys.argv[1:4]
    plan = json.load(open(plan_path, encoding="utf-8"))
    shots = plan.get("screenshots")
    out = {}
    with tempfile.TemporaryDirectory(prefix="mizan-chromium-") as profile:
        d = start_browser(profile)
        d.set_script_timeout(120)
        # The page's own size, 1280×800, whatever the headless window adds around it.
        d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        wait = WebDriverWait(d, 60)

        def shot(name):
            if shots:
                os.makedirs(shots, exist_ok=True)
                d.save_screenshot(os.path.join(shots, name))

        def visible(css):
            try:
                return wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))
            except Exception as e:
                raise SystemExit(f"{css} never appeared; the page says:\n{d.find_element(By.TAG_NAME, 'body').text}") from e

        def click(el):
            # Rows scrolled under the sticky toolbar would take its click: centre them first.
            d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
            el.click()

        def error_text(css):
            el = visible(css)
            return el.text

        try:
            d.get(base + "/")
            out["title"] = d.title
            out["viewport"] = d.execute_script("return [window.innerWidth, window.innerHeight]")

            # --- Search: type the query, see matches as they come.
            q = d.find_element(By.ID, "query")
            q.send_keys(plan["query"])
            card = visible("#matches li.card")
            wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#matches li.card .source [class^=diff-]"))
            cards = d.find_elements(By.CSS_SELECTOR, "#matches li.card")
            first = cards[0]
            out["search"] = {
                "first_id": int(first.get_attribute("data-id")),
                "cards": len(cards),
                "score": first.find_element(By.CSS_SELECTOR, ".score").text,
                "status": first.find_element(By.CSS_SELECTOR, "[class^=status-]").text,
                "source": first.find_element(By.CSS_SELECTOR, ".source").text,
                "source_dir": first.find_element(By.CSS_SELECTOR, ".source").get_attribute("dir"),
                "target_dir": first.find_element(By.CSS_SELECTOR, ".target").get_attribute("dir"),
                "marked": [
                    [e.get_attribute("class"), e.text]
                    for e in first.find_elements(By.CSS_SELECTOR, ".source [class^=diff-]")
                ],
                "substituted": [e.text for e in first.find_elements(By.CSS_SELECTOR, ".target mark.sub-num")],
                "font": d.execute_script(
                    "return getComputedStyle(arguments[0]).fontFamily", first.find_element(By.CSS_SELECTOR, ".source")
                ),
            }
            shot("search.png")

            # Edit the first match's target (a person's correction).
            if plan.get("edit_target"):
                first.find_element(By.CSS_SELECTOR, "button.edit").click()
                box = visible("#matches .edit-box textarea")
                box.clear()
                box.send_keys(plan["edit_target"])
                d.find_element(By.CSS_SELECTOR, "#matches .edit-box button").click()
                wait.until(lambda _: not d.find_elements(By.CSS_SELECTOR, "#matches .edit-box"))
                out["edited_id"] = out["search"]["first_id"]

            # --- Concordance.
            d.find_element(By.ID, "sub-concordance").click()
            d.find_element(By.ID, "term").send_keys(plan["term"])
            wait.until(lambda _: d.find_element(By.ID, "hit-count").text.strip())
            wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#hits tr"))
            out["concordance"] = {
                "count": d.find_element(By.ID, "hit-count").text,
                "rows": len(d.find_elements(By.CSS_SELECTOR, "#hits tr")),
                "marks": len(d.find_elements(By.CSS_SELECTOR, "#hits mark.term")),
                "ids": [int(r.get_attribute("data-id")) for r in d.find_elements(By.CSS_SELECTOR, "#hits tr")],
            }

            # --- Leverage report.
            d.find_element(By.ID, "tab-leverage").click()
            d.find_element(By.ID, "lev-file").send_keys(plan["leverage_file"])
            wait.until(lambda _: d.find_element(By.ID, "lev-text").get_attribute("value"))
            d.find_element(By.ID, "analyze-go").click()
            visible("#chart svg g.band")
            out["chart"] = [
                {
                    "band": g.get_attribute("data-band"),
                    "segments": int(g.get_attribute("data-segments")),
                    "words": int(g.get_attribute("data-words")),
                    "label_segments": g.find_element(By.CSS_SELECTOR, ".count-seg").text,
                    "label_words": g.find_element(By.CSS_SELECTOR, ".count-words").text,
                }
                for g in d.find_elements(By.CSS_SELECTOR, "#chart svg g.band")
            ]
            out["leverage_summary"] = d.find_element(By.ID, "lev-summary").text
            shot("leverage.png")
            # The pre-translated files come from the API as the page asks for them.
            out["downloads"] = {}
            for fmt in ["tsv", "tmx", "xliff"]:
                d.find_element(By.ID, f"dl-{fmt}").click()
                wait.until(lambda _: fmt.upper() + " ready" in d.find_element(By.ID, "dl-result").text)
                out["downloads"][fmt] = d.find_element(By.ID, "dl-result").text

            # --- Alignment review.
            d.find_element(By.ID, "tab-align").click()
            d.find_element(By.ID, "ar-file").send_keys(plan["ar_file"])
            d.find_element(By.ID, "en-file").send_keys(plan["en_file"])
            wait.until(lambda _: d.find_element(By.ID, "en-text").get_attribute("value"))
            d.find_element(By.ID, "align-go").click()
            visible("#links .link")

            def links():
                return d.execute_script("return review.links.map(l => [l.ar.slice(), l.en.slice(), l.accepted])")

            before = links()
            out["align_before"] = before
            out["align_low"] = len(d.find_elements(By.CSS_SELECTOR, "#links .link.low"))
            out["align_dirs"] = [
                d.find_element(By.CSS_SELECTOR, "#links .ar-side").get_attribute("dir"),
                d.find_element(By.CSS_SELECTOR, "#links .en-side").get_attribute("dir"),
            ]
            # Fix: with the keyboard, select the first link and unlink it (1-0 / 0-1); with the
            # mouse, merge the next two-sided link with its neighbour, then split it again.
            body = d.find_element(By.ID, "links")
            click(d.find_elements(By.CSS_SELECTOR, "#links .link")[0])
            body.send_keys("x")
            out["after_detach"] = links()
            d.execute_script("window.scrollTo(0, 0)")
            shot("align.png")
            two = next(i for i, l in enumerate(links()) if l[0] and l[1])
            click(d.find_elements(By.CSS_SELECTOR, "#links .link")[two])
            d.find_element(By.ID, "op-merge").click()
            out["after_merge"] = links()
            d.find_element(By.ID, "op-split").click()
            out["after_split"] = links()
            # Move an English sentence down to the next link and back up, with the keyboard.
            one_two = next(i for i, l in enumerate(links()) if len(l[0]) == 1 and len(l[1]) == 2)
            click(d.find_elements(By.CSS_SELECTOR, "#links .link")[one_two])
            body.send_keys("d")
            out["after_down"] = [one_two, links()]
            body.send_keys(Keys.ARROW_DOWN)
            body.send_keys("u")
            out["after_up"] = links()
            d.find_element(By.ID, "align-doc").send_keys("seed-article")
            d.find_element(By.ID, "align-author").send_keys("lina")
            d.find_element(By.ID, "accept").click()
            wait.until(lambda _: d.find_element(By.ID, "accept-result").text.strip())
            out["accept_result"] = d.find_element(By.ID, "accept-result").text
            out["accepted_links"] = links()

            # --- Bad input: each shows a message, nothing is sent that could store.
            d.find_element(By.ID, "tab-leverage").click()
            bad = {}
            for name, path in plan["bad_files"].items():
                d.execute_script("document.getElementById('leverage-error').hidden = true")
                d.find_element(By.ID, "lev-file").send_keys(path)
                if name == "huge":
                    # Valid text, too big to send: the server's 413 is what the person reads.
                    wait.until(lambda _: "loaded" in d.find_element(By.ID, "lev-text").get_attribute("placeholder"))
                    d.find_element(By.ID, "analyze-go").click()
                bad[name] = error_text("#leverage-error")
            d.execute_script("document.getElementById('leverage-error').hidden = true")
            d.find_element(By.ID, "tab-align").click()
            d.find_element(By.ID, "en-file").send_keys(plan["bad_files"]["latin1"])
            bad["align_latin1"] = error_text("#align-error")
            out["bad"] = bad
        finally:
            out["console"] = [
                e.get("message") for e in (d.get_log("browser") if hasattr(d, "get_log") else []) if e.get("level") == "SEVERE"
            ]
            d.quit()
    json.dump(out, open(out_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
