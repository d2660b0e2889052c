#!/usr/bin/env python3
"""Drives `retailsim explore` in headless Chromium as a person would
(make test-explore): opens the page, refuses a bad lever with the command
line's message, moves a lever, starts a run, waits for weeks, checks that
the charts and the map changed, keeps the run, and compares the kept files
with `retailsim run`'s. Writes the screenshot docs/explore.png with --shot.

    python3 Experiments/explore/drive_page.py --binary .build/release/retailsim [--shot docs/explore.png]
"""
import argparse, datetime, filecmp, json, os, shutil, signal, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=".build/release/retailsim")
ap.add_argument("--shot")
args = ap.parse_args()
binary = os.path.abspath(args.binary)
work = tempfile.mkdtemp(prefix="retailsim-explore-")
failures = []


def check(ok, what):
    print(("PASS  " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def attr(selector, name):
    """Reads an attribute in one script call: the page redraws charts and
    status while a run streams, so a found element can go stale before a
    second call reads it."""
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null", selector, name)


server = subprocess.Popen([binary, "explore", "--port", "0", "--set", "population.shoppers=100000"], cwd=work,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = server.stdout.readline()
address = line.split("open ")[1].split(" ")[0]
print("server:", address)
options = Options()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,2300"]:
    options.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(address)
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: d.find_elements(By.ID, "A-amazon.prime.monthlyFee"))
    # No network: every script and style came from the server.
    sources = [e.get_attribute("src") or e.get_attribute("href") for e in driver.find_elements(By.CSS_SELECTOR, "script, link")]
    check(all(s.startswith(address) for s in sources if s), "every script and style is served by the binary")

    fee = driver.find_element(By.ID, "A-amazon.prime.monthlyFee")
    fee.clear(); fee.send_keys("-5")
    driver.find_element(By.ID, "start-A").click()
    wait.until(lambda d: d.find_element(By.ID, "message-A").text)
    message = driver.find_element(By.ID, "message-A").text
    cli = subprocess.run([binary, "run", "--set", "amazon.prime.monthlyFee=-5"], capture_output=True, text=True, cwd=work)
    check(cli.returncode == 2 and message in cli.stderr, f"a bad lever gets the CLI's message ({message!r})")

    fee.clear(); fee.send_keys("19.99")
    hubs = driver.find_element(By.ID, "A-walmart.strategy.hubsPerQuarter")
    hubs.clear(); hubs.send_keys("150")
    weeks = driver.find_element(By.ID, "A-run.weeks")
    weeks.clear(); weeks.send_keys("40")
    driver.find_element(By.ID, "A-run.replicates").clear()
    driver.find_element(By.ID, "A-run.replicates").send_keys("2")
    before = attr("#charts-A svg", "data-points")
    map_before = driver.execute_script("return document.getElementById('map-A').toDataURL()")
    # Set-up, burn-in and one week are the model's time, measured in `retailsim bench`;
    # what the page owns is that it adds nothing to them, so the yardstick is the
    # command line running the same scenario to week 1 on this machine,
    # measured before Start so that the page's run does not slow it.
    alone = []
    for _ in range(2):
        started = time.time()
        subprocess.run([binary, "run", "--shoppers", "100000", "--replicates", "2", "--weeks", "1",
                        "--set", "amazon.prime.monthlyFee=19.99", "--set", "walmart.strategy.hubsPerQuarter=150",
                        "--out", os.path.join(work, f"first-week-{len(alone)}")], capture_output=True, check=True, cwd=work)
        alone.append(time.time() - started)
    pressed = time.time()
    driver.find_element(By.ID, "start-A").click()
    wait.until(lambda d: (attr("#status-A", "data-week") or "0") != "0")
    first = time.time() - pressed
    check(first < 1.5 * min(alone), f"the first week arrives {first:.2f} s after Start, `retailsim run` to week 1 takes "
          f"{min(alone):.2f} s (2 replicates of 100,000 households; at most 1.5 times the command line)")
    wait.until(lambda d: int(attr("#status-A", "data-week") or 0) >= 27)
    after = attr("#charts-A svg", "data-points")
    # The status names the week's first day: week w starts 7 (w - 1) days after run.start (2024-01-01).
    week, date = driver.execute_script("const e = document.getElementById('status-A'); return [e.dataset.week, e.dataset.date]")
    expected = (datetime.date(2024, 1, 1) + datetime.timedelta(days=7 * (int(week) - 1))).isoformat()
    check(date == expected, f"the status dates the week (week {week}: {date}, expected {expected})")
    ticks = driver.execute_script("return Array.from(document.querySelectorAll('#charts-A svg')[0].querySelectorAll('text.date-tick')).map(t => t.textContent)")
    check(ticks == ["Q1 2024", "Q2 2024", "Q3 2024"], f"the charts' date axis marks the calendar quarters of the 40 weeks ({ticks})")
    check(before == "0" and int(after) >= 27, f"the charts drew the weeks ({before} points, then {after})")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#charts-A polygon.band")) > 0, "two replicates draw a band")
    map_after = driver.execute_script("return document.getElementById('map-A').toDataURL()")
    hubs_drawn = int(attr("#map-A", "data-hubs"))
    check(map_after != map_before and hubs_drawn > 4262, f"the map changed as strategies added hubs ({hubs_drawn} delivering)")

    # Pause holds the week; a second scenario runs beside the first.
    driver.find_element(By.ID, "pause-A").click()
    time.sleep(0.5)
    held = attr("#status-A", "data-week")
    time.sleep(1.0)
    check(held == attr("#status-A", "data-week"), "pause holds the run")
    driver.find_element(By.ID, "compare").click()
    driver.find_element(By.ID, "A-run.weeks")  # still there
    b_weeks = driver.find_element(By.ID, "B-run.weeks"); b_weeks.clear(); b_weeks.send_keys("8")
    driver.find_element(By.ID, "B-population.shoppers").clear()
    driver.find_element(By.ID, "B-population.shoppers").send_keys("20000")
    b_slots = driver.find_element(By.ID, "B-walmart.storeDelivery.slotsPerStoreWeek"); b_slots.clear(); b_slots.send_keys("150")
    driver.find_element(By.ID, "start-B").click()
    wait.until(lambda d: "done" in (d.execute_script("const e = document.getElementById('status-B'); return e ? e.textContent : ''") or ""))
    check(True, "scenario B ran beside A to its end")
    slow = int(attr("#map-B", "data-slots-bind") or 0)
    check(slow > 0 and int(attr("#map-A", "data-slots-bind") or 0) == 0,
          f"the map shades stores whose slots bind (B, 150 slots a store a week: {slow}; A, unlimited: none)")
    if args.shot:
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.5)
        driver.save_screenshot(os.path.abspath(args.shot) if os.path.isabs(args.shot) else os.path.join(os.getcwd(), args.shot))

    driver.find_element(By.ID, "keep-this-run-A").click()
    wait.until(lambda d: d.find_element(By.ID, "kept-A").get_attribute("data-folder"))
    kept = os.path.join(work, driver.find_element(By.ID, "kept-A").get_attribute("data-folder"))
    command = driver.find_element(By.ID, "kept-A").text.split("repeat it with: ")[1].split()
    command[command.index("--out") + 1] = os.path.join(work, "again")
    subprocess.run([binary] + command[1:] + ["--quiet"], check=True, cwd=work, stdout=subprocess.DEVNULL)
    names = ["weekly.csv", "members.csv", "retailers.csv", "waits.csv", "regions.csv", "summary.json", "scenario.json", "facilities.csv"]
    same = [n for n in names if filecmp.cmp(os.path.join(kept, n), os.path.join(work, "again", n), shallow=False)]
    check(same == names, f"the kept run is `retailsim run`'s, byte for byte ({len(same)} of {len(names)} files)")

    # Malformed requests get 4xx; the server keeps serving.
    def status(method, path, body=None):
        req = urllib.request.Request(address.rstrip("/") + path, data=body, method=method,
                                     headers={"Content-Type": "application/json"} if method == "POST" else {})
        try:
            return urllib.request.urlopen(req).status
        except urllib.error.HTTPError as e:
            return e.code
    codes = [status("POST", "/api/sessions", b"{not json"), status("POST", "/api/sessions", b'{"settings": {"no.such": "1"}}'),
             status("GET", "/api/sessions/9999/map"), status("POST", "/api/sessions/9999/keep"), status("GET", "/nothing")]
    check(all(400 <= c < 500 for c in codes), f"malformed requests get 4xx ({codes})")
    check(status("GET", "/") == 200, "the server still serves after them")
finally:
    driver.quit()
    server.send_signal(signal.SIGINT)
    try:
        code = server.wait(timeout=10)
        check(code == 0, f"Ctrl-C stops the server cleanly (exit {code})")
    except subprocess.TimeoutExpired:
        server.kill()
        check(False, "Ctrl-C stops the server cleanly (it did not stop)")
    shutil.rmtree(work, ignore_errors=True)
print(f"explore: {len(failures)} failed")
sys.exit(1 if failures else 0)
