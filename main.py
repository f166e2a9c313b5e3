"""Start the Infusion Planner desktop application."""

from planner.gui.app import main

raise SystemExit(main())
