"""Protocol-level load test: N concurrent Streamlit sessions without browsers (a script, not a test).

The browser load test (``load_test.py``) measures ten chromium tabs competing with the server for two
cores. This one loads only the server: each session is a websocket client speaking Streamlit's own
protocol (``BackMsg`` / ``ForwardMsg`` protobufs on ``/_stcore/stream``), exactly what the browser sends
when a page opens, a widget changes or a button is pressed, so the server does the same work per action.

Each session: opens the app (overview of the default district) → switches district → goes to 养老床位
→ changes the lever ``beds.beds_built_per_year`` to a value of its own (no two sessions share a cached
model run) → goes to 目标可达性 → presses the Monte Carlo button. An action is timed from sending the
message to the ``script_finished`` message of the last rerun it causes (the app's frame may rerun once);
an error is an ``exception`` element in the deltas, a script that did not finish, or a timeout.

Raw baseline, measured in the same run: the same client against a minimal Streamlit script that only
renders one metric (``--baseline``, below), so the printed ratio says how much of an action's time is
Shapan's own work rather than Streamlit's round trip on this machine.

Run: ``python benchmarks/load_protocol.py [--sessions 20] [--hostile K] [--compare]``. ``--hostile K``
adds K sessions that open a hostile share link (``?s=`` of a very large inflated scenario) among the
normal ones; the normal sessions' figures then show whether one hostile session slows everybody else.
``--compare`` runs the normal sessions three times on one server (other lever values each time, so
nothing is cached): alone, with the K hostile sessions, alone again, and prints with and without.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_test import process_cpu_s, start_server, stop_server  # noqa: E402

from models.scenario import param_label  # noqa: E402

DISTRICTS = ("wulong", "banan", "zhushan")  # districts with bed figures (the lever exists)
LEVER_LABEL = param_label("beds.beds_built_per_year", "zh")
LEVER_BASE, LEVER_STEP = 50, 7
ACTION_TIMEOUT_S = 120.0
STARTUP_TIMEOUT_S = 60.0
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
BASELINE_APP = 'import streamlit as st\nst.metric("x", 1)\nst.button("go")\n'


@dataclass
class Widget:
    wid: str
    kind: str
    label: str
    options: tuple[str, ...] = ()
    proto: object = None


@dataclass
class Result:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Client:
    """One Streamlit session over the websocket, as a browser tab would drive it."""

    def __init__(self, ws, name: str) -> None:
        self.ws = ws
        self.name = name
        self.widgets: dict[str, Widget] = {}  # label -> widget seen in the last run
        self.states: dict[str, WidgetState] = {}  # id -> state the client holds
        self.pages: dict[str, str] = {}  # url path name -> page script hash
        self.page_hash = ""
        self.exceptions: list[str] = []
        self.texts: list[str] = []  # heading / markdown / caption bodies of the last run

    async def _send(self, query: str = "", triggers: tuple[WidgetState, ...] = ()) -> None:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = query
        rerun.page_script_hash = self.page_hash
        rerun.widget_states.widgets.extend(list(self.states.values()) + list(triggers))
        await self.ws.send(msg.SerializeToString())

    def _element(self, delta) -> None:
        kind = delta.new_element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(delta.new_element.exception.message[:200])
            return
        el = getattr(delta.new_element, kind)
        if kind in ("heading", "markdown"):
            self.texts.append(el.body)
        wid = getattr(el, "id", "") if hasattr(el, "id") else ""
        if wid:
            options = tuple(getattr(el, "options", ()) or ())
            self.widgets[getattr(el, "label", "")] = Widget(wid, kind, getattr(el, "label", ""), options, el)

    async def run(self, query: str = "", triggers: tuple[WidgetState, ...] = ()) -> None:
        """Send one rerun and read messages until the app's last script run finished successfully."""
        self.widgets, self.texts = {}, []
        await self._send(query, triggers)
        while True:
            raw = await self.ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_not_found":
                self.exceptions.append("page not found")
            elif kind == "script_finished":
                if msg.script_finished == FINISHED:
                    return
                if msg.script_finished != EARLY:
                    self.exceptions.append(f"script finished with status {msg.script_finished}")
                    return
                self.widgets, self.texts = {}, []  # a rerun follows: its elements replace these

    def widget(self, label: str) -> Widget:
        """The widget whose label is ``label`` or starts with it (lever labels end with their unit)."""
        found = [w for text, w in self.widgets.items() if text == label or text.startswith(label)]
        if not found:
            raise LookupError(f"{self.name}: no widget labelled {label!r} (have {sorted(self.widgets)[:8]})")
        return found[0]

    async def select(self, label: str, option: str) -> None:
        w = self.widget(label)
        state = WidgetState(id=w.wid)
        state.string_value = option
        self.states[w.wid] = state
        await self.run()
        if not any(option in text for text in self.texts):  # the page now speaks of the chosen option
            raise AssertionError(f"{self.name}: no text mentions {option!r} after choosing it in {label!r}")

    async def number(self, label: str, value: float) -> None:
        w = self.widget(label)
        state = WidgetState(id=w.wid)
        state.double_value = float(value)
        self.states[w.wid] = state
        await self.run()
        shown = self.widget(label).proto
        if not shown.HasField("value") or shown.value != float(value):
            raise AssertionError(f"{self.name}: {label!r} shows {shown.value} after setting {value}")

    async def press(self, label: str) -> None:
        state = WidgetState(id=self.widget(label).wid)
        state.trigger_value = True
        await self.run(triggers=(state,))

    async def go(self, url_pathname: str) -> None:
        self.page_hash = self.pages[url_pathname]
        await self.run()


def district_option(client: Client, district: str) -> str:
    from models.data import dataset

    name = dataset().districts.set_index("id").loc[district, "name_zh"]
    w = client.widget("区县")
    matches = [o for o in w.options if name in o]
    return matches[0] if matches else name


async def timed(result: Result, name: str, client: Client, action) -> bool:
    start = time.perf_counter()
    try:
        await asyncio.wait_for(action(), ACTION_TIMEOUT_S)
    except Exception as exc:  # an error of the session under load, counted and reported
        result.errors.append(f"{client.name} {name}: {type(exc).__name__}: {str(exc)[:160]}")
        return False
    result.timings.setdefault(name, []).append(time.perf_counter() - start)
    if client.exceptions:
        result.errors.append(f"{client.name} {name}: exception on page: {client.exceptions[0]}")
        client.exceptions.clear()
        return False
    return True


def ws_url(url: str) -> str:
    return url.replace("http://", "ws://") + "/_stcore/stream"


async def connect(url: str):
    return await websockets.connect(ws_url(url), subprotocols=["streamlit"], max_size=None,
                                    origin=url, open_timeout=30, ping_interval=None)


async def normal_session(url: str, i: int, result: Result) -> None:
    district = DISTRICTS[i % len(DISTRICTS)]
    async with await connect(url) as ws:
        c = Client(ws, f"s{i}")
        steps = (
            ("open", lambda: c.run()),
            ("district", lambda: c.select("区县", district_option(c, district))),
            ("page_beds", lambda: c.go("beds")),
            ("lever", lambda: c.number(LEVER_LABEL, LEVER_BASE + LEVER_STEP * i)),
            ("page_targets", lambda: c.go("targets")),
            ("monte_carlo", lambda: c.press(next(k for k in c.widgets if "蒙特卡洛" in k))),
        )
        for name, action in steps:
            if not await timed(result, name, c, action):
                return


def hostile_link() -> str:
    """A short share link that inflates to a huge scenario (the issue-10 reproducer shape)."""
    body = "[scenario]\nname = 'x'\ndistrict = 'wulong'\n" + "a." * 120_000 + "a = 1\n"
    return base64.urlsafe_b64encode(zlib.compress(body.encode(), 9)).decode().rstrip("=")


async def hostile_session(url: str, i: int, result: Result) -> None:
    async with await connect(url) as ws:
        c = Client(ws, f"h{i}")
        start = time.perf_counter()
        try:
            await asyncio.wait_for(c.run(query=f"s={hostile_link()}"), ACTION_TIMEOUT_S)
        except Exception as exc:
            result.errors.append(f"h{i} open_hostile: {type(exc).__name__}")
        result.timings.setdefault("open_hostile", []).append(time.perf_counter() - start)


def start(app: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """A headless ``streamlit run`` of ``app`` (the browser load test's server start, reused)."""
    return start_server(log, app)


async def baseline_round(url: str, sessions: int) -> list[float]:
    """The raw baseline: open + press a button on a one-metric app, same client, same concurrency."""
    times: list[float] = []

    async def one(i: int) -> None:
        async with await connect(url) as ws:
            c = Client(ws, f"b{i}")
            for _ in range(3):
                t = time.perf_counter()
                await c.run()
                await c.press("go")
                times.append((time.perf_counter() - t) / 2)

    await asyncio.gather(*(one(i) for i in range(sessions)))
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(result: Result, sessions: int, wall: float, cpu: float, base: list[float]) -> int:
    print(f"\n{sessions} concurrent protocol-level sessions, wall {wall:.1f} s, server CPU {cpu:.1f} core-s")
    base_p50 = statistics.median(base)
    print(f"raw baseline (one-metric app, same client and concurrency): p50 {base_p50 * 1000:.0f} ms per rerun")
    print(f"{'action':<14}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'p50/baseline':>14}")
    every: list[float] = []
    for name, values in result.timings.items():
        every += values if name != "open_hostile" else []
        print(f"{name:<14}{len(values):>4}{pct(values, 50) * 1000:>10.0f}{pct(values, 95) * 1000:>10.0f}"
              f"{pct(values, 50) / base_p50:>14.1f}")
    if every:
        print(f"{'all normal':<14}{len(every):>4}{pct(every, 50) * 1000:>10.0f}{pct(every, 95) * 1000:>10.0f}")
    print(f"errors: {len(result.errors)}")
    for err in result.errors[:10]:
        print("  ", err)
    return 1 if result.errors else 0


async def drive(url: str, sessions: int, hostile: int, offset: int = 0, warm_up: bool = True) -> Result:
    """``sessions`` normal sessions (lever values ``offset + 1 ..``: none cached) and ``hostile`` ones."""
    result = Result()
    if warm_up:
        await normal_session(url, 0, Result())  # imports, caches, first render: not measured
    jobs = [normal_session(url, offset + i + 1, result) for i in range(sessions)]
    jobs += [hostile_session(url, i, result) for i in range(hostile)]
    await asyncio.gather(*jobs)
    return result


async def compare(url: str, sessions: int, hostile: int, pid: int) -> tuple[Result, Result]:
    """The same normal load three times on one server -- without, with ``hostile`` hostile sessions,
    without again (A-B-A, so warming caches does not favour one side) -- as (both A rounds, B). Prints
    each round's wall time and the server's CPU seconds (CPU is not inflated by other load on the
    machine, wall time is)."""
    await normal_session(url, 0, Result())  # warm-up, not measured
    rounds = []
    for k, n_hostile in enumerate((0, hostile, 0)):
        cpu0, t0 = process_cpu_s(pid), time.perf_counter()
        rounds.append(await drive(url, sessions, n_hostile, offset=k * sessions, warm_up=False))
        print(f"round {k + 1}: {sessions} normal + {n_hostile} hostile sessions: wall "
              f"{time.perf_counter() - t0:.1f} s, server CPU {process_cpu_s(pid) - cpu0:.1f} s", flush=True)
    first, with_hostile, last = rounds
    for name, values in last.timings.items():
        first.timings.setdefault(name, []).extend(values)
    first.errors += last.errors
    return first, with_hostile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--hostile", type=int, default=0)
    parser.add_argument("--compare", action="store_true",
                        help="run the normal sessions twice on one server, without and then with --hostile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base_app = Path(tmp) / "baseline_app.py"
        base_app.write_text(BASELINE_APP)
        proc, url = start(base_app, Path(tmp) / "baseline.log")
        try:
            base = asyncio.run(baseline_round(url, args.sessions))
        finally:
            stop_server(proc)
        proc, url = start(ROOT / "app.py", Path(tmp) / "server.log")
        try:
            cpu0, t0 = process_cpu_s(proc.pid), time.perf_counter()
            if args.compare:
                without, result = asyncio.run(compare(url, args.sessions, args.hostile, proc.pid))
            else:
                without, result = None, asyncio.run(drive(url, args.sessions, args.hostile))
            wall, cpu = time.perf_counter() - t0, process_cpu_s(proc.pid) - cpu0
        finally:
            stop_server(proc)
    if without is not None:
        print("\n=== normal sessions WITHOUT hostile sessions (rounds 1 and 3 of 3) ===")
        report(without, args.sessions, wall, cpu, base)
        print(f"\n=== the same normal load WITH {args.hostile} hostile session(s), round 2 of 3 "
              "(wall / CPU above cover all three) ===")
    return report(result, args.sessions, wall, cpu, base)


if __name__ == "__main__":
    sys.exit(main())
