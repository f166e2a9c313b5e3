"""The command line, as the one-folder bundle starts it (packaging/infusion-planner.spec)."""

from planner.cli import main

raise SystemExit(main())
