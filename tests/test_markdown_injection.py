"""Plain text where users type text (issue 10): names, keys, file names and sources are shown as typed,
never as markdown links, images or HTML, on every page.

The reproducer: a shared link whose scenario is named ``[点此重新登录](https://…) ![t](https://…)`` showed a
live link and made the browser fetch a remote image. Every element that Streamlit renders as markdown
(captions, markdown, success / info / warning / error boxes) is checked on every page for markup that
would be live: an unescaped ``[…](`` link or ``![`` image, an ``<`` tag, or a URL start.
"""

from __future__ import annotations

import re

import pytest
from apptest_helpers import APP, assert_ok
from streamlit.testing.v1 import AppTest

from models import presets, share
from models import scenario as sc
from models.data import dataset
from models.views.text import plain

EVIL = "[点此重新登录](https://evil.example/login) ![t](https://evil.example/t.png) <b>x</b> www.evil.example"
LIVE = [
    re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\("),  # a link or image
    re.compile(r"(?<!\\)<[A-Za-z/!]"),  # an HTML tag
    re.compile(r"(?i)https?://|(?<![\\\w])www\.(?!\\)"),  # an autolink
]
PAGES = ["overview", "population", "beds", "benefits", "budget", "targets", "compare", "retrospective",
         "report", "data_sources"]


def rendered_markdown(at: AppTest) -> list[str]:
    kinds = ("caption", "markdown", "success", "info", "warning", "error")
    bodies = [el.value for kind in kinds for el in at.get(kind)]
    bodies += [el.value for kind in kinds for el in at.sidebar.get(kind)]
    return [b for b in bodies if isinstance(b, str)]


def live_markup(at: AppTest) -> list[str]:
    return [b for b in rendered_markdown(at) if any(p.search(b) for p in LIVE)]


def test_plain_escapes_links_images_html_and_urls():
    text = plain(EVIL)
    assert not any(p.search(text) for p in LIVE), text
    assert plain("城口县 plan_2025") == "城口县 plan_2025"  # ordinary names unchanged
    assert plain("a\nb") == "a b"
    assert plain("# x").startswith("\\#")
    assert plain("1. x") == "1\\. x"


def test_plain_keeps_the_text_readable():
    """Removing the escapes gives back the typed text (CommonMark shows an escaped character as itself)."""
    for text in (EVIL, "-统计局", "=1+2", "a*b*c", "$x$", "`code`", "x:red[y]"):
        assert re.sub(r"\\(.)", r"\1", plain(text)) == text


def shared_app(name: str, district: str = "chengkou") -> AppTest:
    ds = dataset()
    scenario = presets.load_preset(district, "stress", ds)
    token = share.encode(sc.dumps(sc.Scenario(**{**scenario.__dict__, "name": name})))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"district": district, "s": token})
    return at.run()


def test_hostile_name_from_a_link_is_plain_on_every_page():
    at = shared_app(EVIL)
    assert_ok(at)
    shown = " ".join(rendered_markdown(at))
    assert "点此重新登录" in shown, "the name is shown (as text)"
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert_ok(at)
        assert live_markup(at) == [], page


def test_hostile_unknown_key_in_an_error_is_plain():
    text = (f'[scenario]\nname = "x"\ndistrict = "chengkou"\n[beds]\n"{EVIL}" = 1\n')
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"s": share.encode(text)})
    at.run()
    assert_ok(at)
    errors = [e.value for e in at.sidebar.error] + [e.value for e in at.error]
    assert any("点此重新登录" in e for e in errors), errors
    assert live_markup(at) == []


@pytest.mark.parametrize("name", ["x\n", "  spaced\t", "\n方案"])
def test_names_are_stripped_when_saved(tmp_path, name):
    ds = dataset()
    scenario = sc.Scenario(**{**presets.load_preset("chengkou", "plan", ds).__dict__, "name": name})
    path = presets.save_user(scenario, tmp_path)
    assert path.name == f"chengkou_{name.strip()}.toml"
    assert presets.load_user("chengkou", name.strip(), ds, tmp_path).name == name.strip()


# ------------------------------------------------------------------------ sources shown as typed (issue 10.8)


def test_retrospective_shows_sources_as_typed_and_exports_neutralised():
    import pandas as pd

    from models.export import to_csv_bytes

    ds = dataset()
    ind = ds.indicators_for("chengkou")
    row = ind[(ind["kind"] == "target") & (ind["year"] == 2025) & ind["value"].notna()].iloc[0]
    data = f"indicator,year,value,source\n{row.indicator},2025,{row.value},-统计局\n".encode()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"district": "chengkou"})
    at.run()
    at.switch_page("pages/retrospective.py").run()
    at.file_uploader(key="retro_upload_chengkou").set_value(("a.csv", data, "text/csv")).run()
    assert_ok(at)
    frames = [d.value for d in at.dataframe]
    shown = {str(v) for f in frames for v in (f.data if hasattr(f, "data") else f).to_numpy().ravel()}
    assert "-统计局" in shown
    assert "'-统计局" not in shown
    exported = to_csv_bytes(pd.DataFrame({"source": ["-统计局", " =1", "\n=1", "ok"]})).decode("utf-8-sig")
    assert exported.splitlines()[1:3] == ["'-统计局", "' =1"]
    assert "\"'\n=1\"" in exported
