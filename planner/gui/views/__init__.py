"""Custom-painted views over core values (the month calendar and its legend)."""
