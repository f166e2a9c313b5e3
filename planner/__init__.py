"""Infusion Planner: day-hospital scheduling of intravenous cancer treatments."""

__version__ = "0.1.0"
