"""The day hospital's work lists: the week's booked sessions for the nurses and the pharmacy
(:mod:`~planner.worklists.week`), and the patients to call after a delay, a stop or an
exceptional closure (:mod:`~planner.worklists.calls`).

Headless, shared by the command line (``unit week``, ``unit calls``) and the window (Unit ›
Week's sessions, Unit › Patients to call), which print them, save them as PDF (from the HTML
here) or as CSV.
"""

from planner.worklists.calls import (
    Call,
    call_cells,
    calls_count,
    calls_csv,
    calls_head,
    calls_html,
    calls_since,
    calls_summary,
    calls_title,
    closure_calls,
    closure_text,
    now_text,
    recorded_since,
    sessions_text,
)
from planner.worklists.pages import monday_of
from planner.worklists.week import (
    Week,
    WeekDay,
    WeekLine,
    closed_text,
    day_heading,
    session_drugs,
    week_cells,
    week_csv,
    week_head,
    week_html,
    week_plan_ids,
    week_sessions,
    week_summary,
    week_title,
)

__all__ = [
    "Call",
    "Week",
    "WeekDay",
    "WeekLine",
    "call_cells",
    "calls_count",
    "calls_csv",
    "calls_head",
    "calls_html",
    "calls_since",
    "calls_summary",
    "calls_title",
    "closed_text",
    "closure_calls",
    "closure_text",
    "day_heading",
    "monday_of",
    "now_text",
    "recorded_since",
    "session_drugs",
    "sessions_text",
    "week_cells",
    "week_csv",
    "week_head",
    "week_html",
    "week_plan_ids",
    "week_sessions",
    "week_summary",
    "week_title",
]
