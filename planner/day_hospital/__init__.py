"""The day hospital as a whole, without a window: opening the unit and its patient list,
booking its chairs, its port rules and the demo unit. Shared by the command line and the
desktop application; the rules themselves are in :mod:`planner.core`."""
