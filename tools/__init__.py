"""Developer tools: the icon's PNG renderings, the installed package's smoke test."""
