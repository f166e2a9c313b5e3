"""Finding the shared calendar checker (``tools/ics_check``) for the tests.

``$ICS_CHECK`` names it; otherwise it is looked for as ``shared/tools/ics_check`` beside
this repository or one of its parents (the developers' layout, and CI's). Without it the
checks are skipped and say why, unless ``PLANNER_REQUIRE_ICS_CHECK=1`` (set by .ci/run once
it has installed the checker), where a missing checker fails.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def ics_check() -> Path:
    given = os.environ.get("ICS_CHECK")
    candidates = [Path(given)] if given else []
    candidates += [folder / "shared" / "tools" / "ics_check" for folder in REPO.parents]
    for candidate in candidates:
        if candidate.is_file() and _installed(candidate):
            return candidate
    reason = "ics_check is not installed (bash ../shared/tools/setup_ics_check.sh)"
    if os.environ.get("PLANNER_REQUIRE_ICS_CHECK") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _installed(path: Path) -> bool:
    try:
        listed = subprocess.run(
            [str(path), "--list-clients"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    # As `make ics-check` judges it: every client listed as available.
    lines = listed.stdout.splitlines()
    return listed.returncode == 0 and bool(lines) and all(x.startswith("available") for x in lines)
