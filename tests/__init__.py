"""The tests. ``PLANNER_AS_WINDOWS=1`` makes the program take its Windows branches
(planner.platform.is_windows) in every test process, the children the tests start included:
``make pytest-windows`` runs the store and export tests so (docs/development.md, "Platforms")."""

import os

if os.environ.get("PLANNER_AS_WINDOWS") == "1":
    from planner import platform

    platform.force_windows(True)
