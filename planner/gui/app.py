"""The desktop application's entry point: language, Qt translations, catalogue, window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date

from planner.catalog import CatalogPaths, load_catalog
from planner.i18n import set_language, system_language


def main(argv: Sequence[str] | None = None) -> int:
    # Heavy pure-Python imports (holidays, babel) happen before Qt's import hook is in place;
    # see docs/development.md on start-up time.
    language = system_language()
    set_language(language)
    catalog = load_catalog(user=CatalogPaths.user())

    from PySide6.QtCore import QDate, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    from planner.gui.main_window import MainWindow
    from planner.i18n import _

    app = QApplication(list(argv) if argv is not None else sys.argv)
    app.setApplicationName("infusion-planner")
    app.setApplicationDisplayName(_("Infusion Planner"))
    if language == "fr":
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        translator = QTranslator(app)
        translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_fr", translations):
            app.installTranslator(translator)
    now = QDate.currentDate()
    window = MainWindow(catalog, today=date(now.year(), now.month(), now.day()))
    window.show()
    return app.exec()
