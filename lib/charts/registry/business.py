"""The Business alignment charts (`lib.charts.business_figures.CHARTS`), registered under their ids.

The page draws each through the registry, so the page, the Board pack and `python -m lib
export` show one computation. A build that has nothing to draw returns the chart-shaped
notice of `lib.charts.empty_figure`, which says what is missing.
"""

from __future__ import annotations

from lib.charts.business_figures import CHARTS
from lib.charts.registry import register

for _chart in CHARTS.values():
    register(_chart.id, "business", _chart.name, metrics=_chart.metrics, sources=_chart.sources,
             note=_chart.notes)(_chart.build)  # fmt: skip
