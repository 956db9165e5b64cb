"""The protocol-level load client (benchmarks/load_protocol.py) still speaks the app's protocol.

One session drives the full path (open → district → beds → lever → targets → Monte Carlo) against a
real ``streamlit run`` server; every step is verified by the client (the district's name on the page,
the lever's new value echoed back) and must end without an exception element. No timing is asserted.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import load_protocol  # noqa: E402


def _run_in_own_thread(make_coro) -> None:
    """``asyncio.run`` in a fresh thread: in the full suite Playwright's sync API (tests/e2e) leaves an
    event loop running in the main thread, and ``asyncio.run`` refuses to start inside one."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make_coro())
        except BaseException as exc:  # re-raised in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def test_one_protocol_session_completes_every_action_without_error():
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = load_protocol.start(ROOT / "app.py", Path(tmp) / "server.log")
        try:
            result = load_protocol.Result()
            _run_in_own_thread(lambda: load_protocol.normal_session(url, 1, result))
        finally:
            load_protocol.stop_server(proc)
    assert result.errors == []
    assert set(result.timings) == {"open", "district", "page_beds", "lever", "page_targets", "monte_carlo"}
