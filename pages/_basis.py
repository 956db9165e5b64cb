"""The population basis (户籍 / 常住) caption shown wherever a population count appears.

One function, so every page states the basis the same way (:mod:`models.population_basis`)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import population_basis
from models.views.text import plain
from pages import _session
from pages._ui import id_label, t


def text(res: Any) -> str:
    """``人口口径：户籍人口（假设）`` for the resolved scenario ``res``."""
    basis = population_basis.basis_for(res, _session.data())
    return t("population.basis_caption", basis=id_label("basis", basis.basis),
             status=id_label("basis_status", basis.status))


def caption(res: Any) -> None:
    """The basis as a caption; hover gives the reason or the plan's words."""
    basis = population_basis.basis_for(res, _session.data())
    reason = basis.reason_in(_session.current_lang())
    st.caption(plain(text(res)), help=plain(reason) if reason else None)
