"""Infusion Planner: day-hospital scheduling of intravenous cancer treatments."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here (dynamic)."""


def version_line() -> str:
    """What ``--version`` prints: the package's name and version, the same in every language
    (support and scripts read it)."""
    return f"infusion-planner {__version__}"
