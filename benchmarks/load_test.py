"""Load test: 10 concurrent browser sessions against a local ``streamlit run app.py`` (a script, not a test).

Starts the app headless on 127.0.0.1 (free port), then drives Debian chromium through Playwright's async
API: one browser, one context per session. Each session opens the app, switches district, goes to
养老床位, moves a lever (``beds.beds_built_per_year``, a different value per session so no two sessions
share a cached model run), goes to 目标可达性 and runs the Monte Carlo. Every action is timed until its
result is on screen *and* Streamlit's running indicator (``[data-testid="stStatusWidget"]``) is hidden.
One warm-up session runs first (imports, caches, first render); the 10 concurrent sessions are measured.
Errors: an exception element on the page (``[data-testid="stException"]``) or a timeout.

Afterwards the re-render time of one lever change is measured twice: in the browser (one session, the
lever changed several times) and with Streamlit's AppTest (beds page rerun after a lever change). Raw
baselines in the same run: the browser timing on a one-input, one-metric app (Streamlit's and the browser's
floor on this machine) and the AppTest rerun with nothing changed; the ratios are printed, since absolute
times on a shared machine are noisy.

Bounded: about three minutes (per-action timeout, overall deadline); loopback only; the server is
stopped at the end. Run: ``python benchmarks/load_test.py [--sessions 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.data import dataset  # noqa: E402
from models.scenario import param_label  # noqa: E402
from models.views.calendar import PLAN_END_YEAR  # noqa: E402
from pages._ui import load_locale  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
DISTRICTS = ("wulong", "banan", "zhushan")  # districts with bed figures (the lever exists), not the default
LEVER = "beds.beds_built_per_year"
LEVER_BASE, LEVER_STEP = 50, 7  # beds/yr: session i types 50 + 7 i (distinct scenarios, no shared cache)
ACTION_TIMEOUT_MS = 60_000
DEADLINE_S = 175  # browser part, server start included (the AppTest timing adds ~10 s)
RERENDER_BUDGET_S = 35  # kept back from the concurrent round for the single-session browser timing
STARTUP_TIMEOUT_S = 60
RERENDER_GOAL_MS = 300
RERENDER_REPEATS = 5
RERENDER_STEP = 100  # beds/yr between timed changes: enough to move the metric's shown decimal
# raw baseline for the re-render: the same lever label and metric label, nothing else (Streamlit + browser floor)
BASELINE_APP = ("import altair as alt\nimport pandas as pd\nimport streamlit as st\n"
                "value = st.number_input({lever!r}, value=0, step=1)\n"
                "st.metric({metric!r}, f'{{value / 7:.1f}}')\n"
                "frame = pd.DataFrame({{'year': range(2020, 2026), 'beds': [value * i for i in range(6)]}})\n"
                "st.altair_chart(alt.Chart(frame).mark_line().encode(x='year:O', y='beds:Q'))\n")
CHART_SVG = '[data-testid="stVegaLiteChart"] svg'  # the first chart on the page (beds: supply and demand)
ZH = load_locale("zh")
LEVER_LABEL = param_label(LEVER, "zh", dataset().assumptions)
T0 = time.perf_counter()


@dataclass
class Session:
    index: int
    district: str
    timings: dict[str, float] = field(default_factory=dict)  # action -> seconds
    errors: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log: Path, app: Path | str = "app.py") -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]  # an edit in the tree must not show a "rerun?" prompt
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# ----------------------------------------------------------------------------------------- browser


async def settled(page) -> None:
    """Streamlit's running indicator is gone (a short grace period lets a new run show it first)."""
    await page.wait_for_timeout(100)
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=ACTION_TIMEOUT_MS)


async def exceptions(page) -> int:
    return await page.locator('[data-testid="stException"]').count()


async def go_to(page, nav_key: str) -> None:
    await page.locator('[data-testid="stSidebarNav"]').get_by_text(ZH[nav_key], exact=True).click()
    await page.locator('[data-testid="stMain"] h1').filter(has_text=ZH[nav_key]).wait_for()


def metric_label() -> str:
    series = ZH.get("beds.series_beds_per_1000_elderly", dataset().label("beds_per_1000_elderly", "zh"))
    return ZH["beds.metric_in_year"].format(year=PLAN_END_YEAR, label=series)


async def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return await metric.locator('[data-testid="stMetricValue"]').inner_text()


async def set_lever(page, value: int, label: str) -> None:
    """Type a lever value + Enter; done when the beds-per-1,000 metric shows a new value."""
    main = page.locator('[data-testid="stMain"]')
    before = await metric_value(page, label)
    box = main.locator('[data-testid="stNumberInput"]').filter(has_text=LEVER_LABEL).first
    await box.locator("input").fill(str(value))
    await box.locator("input").press("Enter")
    await page.wait_for_function(
        """([label, before]) => [...document.querySelectorAll('[data-testid="stMetric"]')]
            .some(m => m.innerText.includes(label)
                  && m.querySelector('[data-testid="stMetricValue"]').innerText !== before)""",
        arg=[label, before], timeout=ACTION_TIMEOUT_MS)


# In the page: the Enter keydown's timestamp, then the first animation frame after the metric's text and
# after the first chart's SVG changed (performance.now() clock; no Playwright round trip inside the figure).
OBSERVE_JS = """([label, sel]) => {
  window.__shapanObs?.disconnect();
  const metric = () => [...document.querySelectorAll('[data-testid="stMetric"]')]
      .find(m => m.textContent.includes(label))?.querySelector('[data-testid="stMetricValue"]')?.textContent;
  const chart = () => document.querySelector(sel)?.outerHTML ?? '';
  const m0 = metric(), c0 = chart(), ev = window.__shapanEv = {};
  document.addEventListener('keydown',
      e => { if (e.key === 'Enter' && ev.enter === undefined) ev.enter = e.timeStamp; }, {capture: true});
  const painted = name => requestAnimationFrame(() => setTimeout(() => { ev[name] = performance.now(); }, 0));
  const inChart = r => (r.target.nodeType === 1 ? r.target : r.target.parentElement)
      ?.closest?.('[data-testid="stVegaLiteChart"]');
  const obs = window.__shapanObs = new MutationObserver(records => {
    if (ev.enter === undefined) return;
    if (!ev.metricSeen && metric() !== m0) { ev.metricSeen = true; painted('metric'); }
    if (!ev.chartSeen && records.some(inChart) && chart() !== c0) { ev.chartSeen = true; painted('chart'); }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


async def timed_change(page, value: int, label: str) -> tuple[float, float, float, float]:
    """Seconds from Enter to the new metric and to the redrawn first chart, measured twice.

    In the page (keydown timestamp to the animation frame after the change) and from Playwright (from before
    typing to the change seen by a polling ``wait_for_function``; includes the driver's round trips).
    Returns ``(page metric, page chart, driver metric, driver chart)``.
    """
    await page.evaluate(OBSERVE_JS, [label, CHART_SVG])
    start = time.perf_counter()
    await set_lever(page, value, label)
    metric = time.perf_counter() - start
    await page.wait_for_function("window.__shapanEv.chart !== undefined && window.__shapanEv.metric !== undefined",
                                 timeout=ACTION_TIMEOUT_MS)
    chart = time.perf_counter() - start
    ev = await page.evaluate("window.__shapanEv")
    return (ev["metric"] - ev["enter"]) / 1000, (ev["chart"] - ev["enter"]) / 1000, metric, chart


async def timed(session: Session, page, name: str, action) -> bool:
    """Run one action and time it to 'result shown + not running'; record errors; False stops the session."""
    start = time.perf_counter()
    try:
        await action()
        await settled(page)
    except Exception as exc:  # a timeout or a missing element ends this session
        session.errors.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        return False
    session.timings[name] = time.perf_counter() - start
    print(f"  session {session.index:>2} {name:<20} {session.timings[name] * 1000:>7.0f} ms "
          f"(t={time.perf_counter() - T0:.1f} s)", flush=True)
    if await exceptions(page):
        session.errors.append(f"{name}: exception element on the page")
    return True


async def run_session(browser, url: str, session: Session) -> Session:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    main = page.locator('[data-testid="stMain"]')
    name = dataset().district(session.district)["name_zh"]
    label = metric_label()

    async def open_app() -> None:
        await page.goto(url)
        await main.locator("h1").first.wait_for()

    async def switch_district() -> None:
        sidebar = page.locator('[data-testid="stSidebar"]')
        await sidebar.locator('[data-testid="stSelectbox"]').filter(has_text=ZH["sidebar.district"]).click()
        await page.get_by_role("option", name=name).click()
        await main.get_by_text(f"{name} ·").first.wait_for()

    async def beds_page() -> None:
        await go_to(page, "nav.beds")
        await page.locator('[data-testid="stMetric"]').filter(has_text=label).first.wait_for()

    async def move_lever() -> None:
        await set_lever(page, LEVER_BASE + LEVER_STEP * session.index, label)

    async def targets_page() -> None:
        await go_to(page, "nav.targets")
        await main.get_by_text(ZH["targets.mc_not_run"]).wait_for()

    async def monte_carlo() -> None:
        await main.locator('[data-testid="stButton"] button').filter(
            has_text=ZH["targets.mc_button"].split("{", 1)[0]).first.click()
        await main.get_by_text(ZH["targets.mc_not_run"]).wait_for(state="hidden")

    try:
        for action_name, action in (("open app", open_app), ("switch district", switch_district),
                                    ("go to beds page", beds_page), ("move lever", move_lever),
                                    ("go to targets page", targets_page), ("run Monte Carlo", monte_carlo)):
            if not await timed(session, page, action_name, action):
                break
    finally:
        await context.close()
    return session


async def rerender_in_browser(browser, url: str, repeats: int, times: list[tuple[float, float, float, float]],
                              path: str = f"/beds?district={DISTRICTS[0]}") -> None:
    """One session on the beds page (or the raw baseline app at ``path`` "/"): seconds from Enter to the new
    metric and to the redrawn chart (warm: after the first change).

    Appends to ``times`` as it goes, so a run cut short by the time budget keeps what it measured.
    """
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    label = metric_label()
    try:
        await page.goto(f"{url}{path}")
        await page.locator('[data-testid="stMetric"]').filter(has_text=label).first.wait_for()
        await settled(page)
        await set_lever(page, LEVER_BASE - 1, label)  # first run of this page and lever: not counted
        await settled(page)
        for i in range(repeats):
            times.append(await timed_change(page, LEVER_BASE + RERENDER_STEP * (i + 1), label))
            await settled(page)
    finally:
        await context.close()


async def drive(url: str, sessions: int, deadline: float, server_pid: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            if sessions == 0:  # --rerender-only: the lever timing and its raw baseline, nothing else
                rerender: list[tuple[float, float, float, float]] = []
                await asyncio.wait_for(rerender_in_browser(browser, url, RERENDER_REPEATS, rerender), 120)
                raw = await raw_rerender(browser)
                return {"warm": None, "sessions": [], "wall": 0.0, "rerender": rerender, "cpu": (0.0, 0.0),
                        "raw": raw}
            warm = await asyncio.wait_for(run_session(browser, url, Session(-1, DISTRICTS[0])),
                                          timeout=max(5.0, deadline - time.monotonic()))
            print(f"warm-up done after {time.perf_counter() - T0:.1f} s", flush=True)
            runs = [Session(i, DISTRICTS[i % len(DISTRICTS)]) for i in range(sessions)]
            start = time.perf_counter()
            cpu_start = (process_cpu_s(server_pid), machine_busy_s())
            tasks = [asyncio.create_task(run_session(browser, url, s)) for s in runs]
            budget = max(5.0, deadline - time.monotonic() - RERENDER_BUDGET_S)
            _, pending = await asyncio.wait(tasks, timeout=budget)
            for task in pending:  # over the time budget: the unfinished action counts as an error
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for s, task in zip(runs, tasks, strict=True):
                if task in pending:
                    s.errors.append(f"time budget: stopped after {len(s.timings)} actions")
            wall = time.perf_counter() - start
            cpu = (process_cpu_s(server_pid) - cpu_start[0], machine_busy_s() - cpu_start[1])
            measured = runs
            print(f"concurrent round done after {time.perf_counter() - T0:.1f} s", flush=True)
            rerender: list[tuple[float, float, float, float]] = []
            try:
                await asyncio.wait_for(rerender_in_browser(browser, url, RERENDER_REPEATS, rerender),
                                       timeout=max(10.0, deadline - time.monotonic()))
            except TimeoutError:
                print(f"browser re-render timing: time budget used up after {len(rerender)} changes")
            raw = await raw_rerender(browser)
        finally:
            await browser.close()
    return {"warm": warm, "sessions": measured, "wall": wall, "rerender": rerender, "cpu": cpu, "raw": raw}


async def raw_rerender(browser) -> list[tuple[float, float, float, float]]:
    """The raw baseline in the same run: the same browser timing on a one-input, one-metric app."""
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "baseline_app.py"
        app.write_text(BASELINE_APP.format(lever=LEVER_LABEL, metric=metric_label()), encoding="utf-8")
        proc, url = start_server(Path(tmp) / "baseline.log", app)
        times: list[tuple[float, float, float, float]] = []
        try:
            await asyncio.wait_for(rerender_in_browser(browser, url, RERENDER_REPEATS, times, path="/"), 30)
        except TimeoutError:
            pass
        finally:
            stop_server(proc)
    return times


# --------------------------------------------------------------------------------------- CPU split


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_s() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------------------- AppTest


def rerender_apptest(repeats: int) -> tuple[list[float], list[float]]:
    """Seconds for AppTest reruns of the beds page (page already run once, first lever change not counted).

    Returns (after a lever change, without a change). The second is the render cost alone (the model
    results are cached); the difference is the model run of a new scenario. AppTest runs the script
    in-process without a browser; the project's app leaves Streamlit's legacy pages mode with one
    ``st.rerun`` on every AppTest run, so each timing covers two script runs.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"district": DISTRICTS[0]})
    at.switch_page("pages/beds.py").run()
    key = LEVER  # the widget key is the scenario key (pages._levers.widget_key)
    at.number_input(key=key).set_value(float(LEVER_BASE - 1)).run()  # first lever change: not counted
    changed, unchanged = [], []
    for i in range(repeats):
        start = time.perf_counter()
        at.number_input(key=key).set_value(float(LEVER_BASE + RERENDER_STEP * (i + 1) + 1)).run()
        changed.append(time.perf_counter() - start)
        start = time.perf_counter()
        at.run()
        unchanged.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    return changed, unchanged


# ------------------------------------------------------------------------------------------ report


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(result: dict[str, object], sessions: int) -> int:
    measured: list[Session] = result["sessions"]  # type: ignore[assignment]
    warm: Session = result["warm"]  # type: ignore[assignment]
    actions = list(dict.fromkeys(a for s in [warm, *measured] for a in s.timings))
    print(f"\nwarm-up session: {', '.join(f'{a} {v * 1000:.0f} ms' for a, v in warm.timings.items())}"
          + (f"; errors: {warm.errors}" if warm.errors else ""))
    print(f"\n{sessions} concurrent sessions (wall {result['wall']:.1f} s)")
    print(f"{'action':<22}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    everything: list[float] = []
    for action in actions:
        values = [s.timings[action] for s in measured if action in s.timings]
        everything += values
        print(f"{action:<22}{len(values):>4}{pct(values, 50) * 1000:>10.0f}{pct(values, 95) * 1000:>10.0f}"
              f"{max(values, default=float('nan')) * 1000:>10.0f}")
    print(f"{'all actions':<22}{len(everything):>4}{pct(everything, 50) * 1000:>10.0f}"
          f"{pct(everything, 95) * 1000:>10.0f}{max(everything, default=float('nan')) * 1000:>10.0f}")
    errors = [f"session {s.index} ({s.district}): {e}" for s in measured for e in s.errors]
    complete = sum(len(s.timings) == len(actions) and not s.errors for s in measured)
    print(f"errors: {len(errors)}; sessions completed without error: {complete}/{sessions}")
    for line in errors:
        print(f"  {line}")
    return len(errors)


def print_rerender(label: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    if not ms:
        print(f"{label}: not measured (time budget)")
        return
    verdict = "meets" if statistics.median(ms) < RERENDER_GOAL_MS else "misses"
    print(f"{label}: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms over {len(ms)} changes "
          f"({verdict} the {RERENDER_GOAL_MS} ms goal) [{', '.join(f'{m:.0f}' for m in ms)}]")


def print_ratio(label: str, times: list[float], base: list[float]) -> None:
    if times and base:
        print(f"  ratio {label}: {statistics.median(times) / statistics.median(base):.2f} (medians, same run)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rerender-only", action="store_true",
                        help="only the lever re-render timing (browser + raw baseline + AppTest), ~1 minute")
    parser.add_argument("--repeats", type=int, default=RERENDER_REPEATS, help="timed lever changes")
    args = parser.parse_args()
    globals()["RERENDER_REPEATS"] = args.repeats
    if args.rerender_only:
        args.sessions = 0
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    deadline = time.monotonic() + DEADLINE_S
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"shapan_load_test_{os.getpid()}.log"
    started = time.perf_counter()
    proc, url = start_server(log)
    print(f"server {url} healthy after {time.perf_counter() - started:.1f} s (log {log})")
    try:
        result = asyncio.run(drive(url, args.sessions, deadline, proc.pid))
    finally:
        stop_server(proc)
        print(f"server stopped (exit {proc.returncode})")
    errors = summary(result, args.sessions) if args.sessions else 0
    server_cpu, busy = result["cpu"]  # type: ignore[misc]
    if args.sessions:
        print(f"CPU during the concurrent round: machine busy {busy:.1f} core-s of {2 * result['wall']:.1f} "
          f"available on {os.cpu_count()} cores; streamlit server {server_cpu:.1f} core-s "
              f"({100 * server_cpu / max(busy, 1e-9):.0f} %), the rest mostly the {args.sessions} browser tabs")
    print("\nre-render after one lever change (beds page, warm):")
    browser_times, raw = result["rerender"], result["raw"]
    app = list(zip(*browser_times, strict=True)) or [[]] * 4  # type: ignore[arg-type]
    base = list(zip(*raw, strict=True)) or [[]] * 4  # type: ignore[arg-type]
    names = ("in the page: Enter → new metric painted", "in the page: Enter → first chart redrawn",
             "Playwright: type + Enter → new metric seen", "Playwright: type + Enter → first chart seen")
    for i, name in enumerate(names):
        print_rerender(f"  beds page, {name}", list(app[i]))
        print_rerender(f"  raw baseline (one input, one metric, one chart), {name}", list(base[i]))
    changed, unchanged = rerender_apptest(RERENDER_REPEATS)
    print_rerender("  AppTest rerun after the change (app.py + beds page)", changed)
    print_rerender("  AppTest rerun, nothing changed (render only, cached model)", unchanged)
    for i, name in enumerate(("page metric", "page chart", "Playwright metric", "Playwright chart")):
        if app[i] and base[i]:
            print_ratio(f"beds / raw baseline, {name}", list(app[i]), list(base[i]))
    print_ratio("AppTest changed / AppTest nothing changed", changed, unchanged)
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
