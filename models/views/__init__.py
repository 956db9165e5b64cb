"""What the pages (and the report, the CLI) show, built once in ``models/``: pure, no streamlit.

* :mod:`models.views.calendar` — the plan calendar: base year, 14th and 15th plan periods, model horizon.
* :mod:`models.views.fmt` — one set of number formatters in the plans' units (元/人·月, 万元, 张, %, persons).
* :mod:`models.views.marks` — plan-target marks for charts (year, value, label, source).
* :mod:`models.views.totals` — the ``total`` row of a budget frame, and the frame without it.
* Pages' tables: :mod:`~models.views.compare`, :mod:`~models.views.retrospective`,
  :mod:`~models.views.targets`, :mod:`~models.views.benefits`, :mod:`~models.views.data_tables`.

Modules here import only leaf modules (``models.budget`` for its ``TOTAL`` id at most), so anything in
``models/`` can use them without an import circle. Pages' view code for one page lives next to these
(``beds.py``, ``budget.py``).
"""
