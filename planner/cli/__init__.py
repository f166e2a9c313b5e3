"""The headless command line: ``python -m planner``."""

from planner.cli.main import main, run

__all__ = ["main", "run"]
