"""Real browser: a district typed into the blank workbook is uploaded on 自建区县 and used like a shipped one.

Own server with its own empty ``SHAPAN_HOME`` (the session server's user folder is shared with the other
tests and must not gain a district). Steps: open 自建区县 → upload the from-scratch workbook → 校验并导入 →
pick 测试县（自建） in the sidebar → 概览 and 养老床位 render without an exception, the typed nursing
target is on the scorecard. Screenshot: ``artifacts/user_district.png``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_flow import ZH, assert_no_exception, go_to, settle, step
from workbook_helpers import DISTRICT, filled_blank

from models import workbook
from models.data import DEFAULT_DATA_DIR, load_dataset

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 90

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    home = tmp_path / "home"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    env = {**os.environ, "SHAPAN_I18N_STRICT": "1", "PYTHONUNBUFFERED": "1", "SHAPAN_HOME": str(home),
           "SHAPAN_SCENARIO_DIR": str(tmp_path / "scenarios")}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, proc, log)
        yield url, home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_user_district_from_blank_template(app_page, own_server, tmp_path: Path, artifacts: Path) -> None:
    url, home = own_server
    page = app_page
    main = page.locator('[data-testid="stMain"]')
    sidebar = page.locator('[data-testid="stSidebar"]')
    book = tmp_path / "ceshi.xlsx"
    book.write_bytes(filled_blank(workbook.export_workbook(load_dataset(DEFAULT_DATA_DIR))))
    label = ZH["sidebar.user_district"].format(name=DISTRICT["name_zh"])

    with step("open 自建区县"):
        page.goto(url)
        sidebar.get_by_text(ZH["app.title"]).first.wait_for()
        settle(page)
        go_to(page, "nav.district_import")
        assert_no_exception(page)

    with step("upload the workbook and import it"):
        uploader = main.locator('[data-testid="stFileUploader"]').filter(has_text=ZH["district_import.workbook_file"])
        uploader.locator('input[type="file"]').set_input_files(str(book))
        settle(page)
        main.get_by_role("button", name=ZH["district_import.import_button"]).click()
        main.get_by_text("已导入区县 ceshi").wait_for()
        settle(page)
        assert_no_exception(page)
        assert (home / "districts" / "ceshi" / "indicators.csv").is_file()

    with step("pick the new district in the sidebar"):
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text=ZH["sidebar.district"]).click()
        page.get_by_role("option", name=label).click()
        main.get_by_text(f"{DISTRICT['name_zh']} ·").first.wait_for()
        settle(page)

    with step("概览 and 养老床位 run on it"):
        go_to(page, "nav.overview")
        assert_no_exception(page)
        main.locator('[data-testid="stDataFrame"]').first.wait_for()
        page.screenshot(path=str(artifacts / "user_district.png"), full_page=True)
        go_to(page, "nav.beds")
        assert_no_exception(page)
