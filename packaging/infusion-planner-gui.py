"""The window, as the one-folder bundle starts it (packaging/infusion-planner.spec)."""

from planner.gui.app import main

raise SystemExit(main())
