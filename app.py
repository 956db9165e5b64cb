"""Shapan 民政规划沙盘 -- entry point: page config, sidebar (language, district, scenario), navigation.

Run with ``streamlit run app.py``. Pages live in ``pages/`` and are thin: they read the session state
(``pages/_session.py``: language, district, URL, messages; ``pages/_scenarios.py``: the scenario store
and share link; ``pages/_cache.py``: cached model runs), call ``models`` and render with the helpers in
``pages/_ui.py``. ``pages/_frame.py`` holds the Streamlit process tweaks (legacy-pages workaround, heap freeze).
"""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from models.data import Dataset
from models.errors import ShapanError
from pages import _frame, _scenario_ui, _scenarios, _session
from pages._ui import show_error, t

# [(section locale key, [(page file stem = url path = "nav.<stem>" key, material icon)])], in sidebar order
NAV = [
    ("nav.section_status", [
        ("overview", ":material/dashboard:"),
        ("population", ":material/elderly:"),
    ]),
    ("nav.section_simulate", [
        ("beds", ":material/bed:"),
        ("benefits", ":material/payments:"),
        ("budget", ":material/account_balance:"),
    ]),
    ("nav.section_decide", [
        ("targets", ":material/flag:"),
        ("compare", ":material/compare_arrows:"),
        ("retrospective", ":material/fact_check:"),
    ]),
    ("nav.section_reference", [
        ("report", ":material/description:"),
        ("data_sources", ":material/dataset:"),
        ("district_import", ":material/upload_file:"),
    ]),
]
LANG_LABELS = {"zh": "中文", "en": "English"}


def language_picker() -> None:
    _session.init_lang()
    st.radio(
        t("sidebar.language"), options=list(_session.LANGS), key="lang", horizontal=True,
        format_func=LANG_LABELS.__getitem__,
    )


def district_picker(ds: Dataset) -> None:
    _scenarios.load_shared_link(ds)  # a shared link's district wins over ?district=
    _session.init_district(ds)
    column = "name_zh" if _session.current_lang() == "zh" else "name_en"
    names = {d: t("sidebar.user_district", name=n) if ds.is_user(d) else n
             for d, n in zip(ds.districts["id"], ds.districts[column], strict=True)}
    st.selectbox(t("sidebar.district"), options=list(names), key="district", format_func=names.__getitem__)


DEFAULT_PAGE = "overview"


def navigation() -> StreamlitPage:
    """The sidebar menu. The default page is served at ``/``; Streamlit gives it no other path, so a
    hidden second entry for the same file answers ``/overview?…`` deep links (else "Page not found"); the
    default entry's own path (``overview_home``) only has to differ from it."""
    pages = {
        t(section): [
            st.Page(f"pages/{name}.py", title=t(f"nav.{name}"), icon=icon,
                    url_path=f"{name}_home" if name == DEFAULT_PAGE else name, default=name == DEFAULT_PAGE)
            for name, icon in items
        ]
        for section, items in NAV
    }
    alias = st.Page(f"pages/{DEFAULT_PAGE}.py", title=t(f"nav.{DEFAULT_PAGE}"), url_path=DEFAULT_PAGE,
                    visibility="hidden")
    first = next(iter(pages))
    pages[first] = [*pages[first], alias]
    return st.navigation(pages, expanded=True)


_session.init_lang()
st.set_page_config(page_title=t("app.title"), page_icon=":material/account_balance:", layout="wide")

with st.sidebar:
    st.markdown(f"**{t('app.title')}**")
    language_picker()

try:
    dataset = _session.data()
except ShapanError as err:  # broken data/: say which file and row instead of a traceback
    show_error(err)
    st.stop()

with st.sidebar:
    district_picker(dataset)
    _scenario_ui.render()  # scenario picker: rendering in pages/_scenario_ui.py, its state in pages/_scenarios.py
    st.divider()
    st.caption(t("sidebar.data_version", version=dataset.version))

_session.sync_query_params()
_scenarios.sync_share_param()
try:
    navigation().run()
except ShapanError as err:  # a scenario the models cannot run: say why, in the user's language
    show_error(err)
_frame.freeze_heap_once()  # after the first full run: see pages/_frame.py
