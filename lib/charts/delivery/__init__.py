"""Chart builders for the Delivery & quality page, one module per section: DORA trends on
their tier bands, flow, incidents, PR cycle time and each team's own trend. Aggregates in,
figures out.

Every builder writes its own title from the data (the takeaway, `lib.charts.titles`), using
the house template, unit-bearing axis titles and the caption it is given. No streamlit here.
"""

from lib.charts.delivery.common import (
    DORA_METRICS,
    TEAM_METRICS,
    WORK_TYPES,
    Metric,
    since_first_data,
    trend_title,
)
from lib.charts.delivery.dora import dora_trend, outcomes_by_period
from lib.charts.delivery.flow import (
    distribution_shares,
    distribution_title,
    flow_time_box,
    flow_time_histogram,
    simple_trend,
    velocity_by_type,
)
from lib.charts.delivery.incidents import incidents_by_period, incidents_by_service
from lib.charts.delivery.pull_requests import pr_breakdown, pr_stages_title
from lib.charts.delivery.teams import team_small_multiples, team_trends_title

__all__ = [
    "DORA_METRICS",
    "TEAM_METRICS",
    "WORK_TYPES",
    "Metric",
    "distribution_shares",
    "distribution_title",
    "dora_trend",
    "flow_time_box",
    "flow_time_histogram",
    "incidents_by_period",
    "incidents_by_service",
    "outcomes_by_period",
    "pr_breakdown",
    "pr_stages_title",
    "simple_trend",
    "since_first_data",
    "team_small_multiples",
    "team_trends_title",
    "trend_title",
    "velocity_by_type",
]
