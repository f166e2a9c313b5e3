"""Regimen files (resources/regimens/*.toml and the user's folder) -> core values.

Every problem in a file becomes one :class:`CatalogError` naming the file, the field and the
problem; the other files still load. Bundled files that are missing or unusable raise
:class:`InstallationError` instead: an empty catalogue is never shown as a real one.
"""

from planner.catalog.catalog import (
    Catalog,
    CatalogEntry,
    CatalogError,
    CatalogFileError,
    CatalogPaths,
    InstallationError,
    Origin,
    bundled_port_rules,
    check_files,
    load_catalog,
    read_port_rules_file,
)

__all__ = [
    "Catalog",
    "CatalogEntry",
    "CatalogError",
    "CatalogFileError",
    "CatalogPaths",
    "InstallationError",
    "Origin",
    "bundled_port_rules",
    "check_files",
    "load_catalog",
    "read_port_rules_file",
]
