"""Build steps beyond pyproject.toml: the program's own files, with compiled translations.

The repository keeps what the program reads in ``resources/`` (regimens, the drug
dictionary, the port rules, translations, the icon, the Linux desktop files). The package
carries it as ``planner/_resources``, where ``planner/resources.py`` finds it through
``importlib.resources``:

* ``build_py`` (every wheel, and an install from the sdist) copies ``resources/`` there,
  compiling each gettext catalogue from its ``.po`` with Babel on the way (fuzzy entries
  left out, as ``make`` does; a fuzzy or broken catalogue stops the build, since a wheel
  without its French is broken). The ``.po`` and ``.pot`` sources stay out of the wheel.
  An editable install (``pip install -e .``) is left to read the checkout's ``resources/``.
* ``sdist`` carries ``resources/`` whole (MANIFEST.in) and the compiled catalogues too.

Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import SetupError

ROOT = Path(__file__).resolve().parent
SOURCE = "resources"
PACKAGED = Path("planner", "_resources")  # planner.resources.PACKAGED
SOURCES_ONLY = {".po", ".pot", ".mo"}  # .mo: compiled afresh from the .po, never copied


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """``source/translations/<lang>/LC_MESSAGES/<domain>.po`` compiled into the same place
    under ``target``; the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((source / "translations").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as stream:
            catalogue = read_po(stream, locale=po.parent.parent.name, domain=po.stem)
        if catalogue.fuzzy:
            raise SetupError(f"{po}: the whole catalogue is marked fuzzy; check it first")
        problems = [
            f"{message.id!r}: {error}" for message, errors in catalogue.check() for error in errors
        ]
        if problems:
            raise SetupError(f"{po}: " + "; ".join(problems))
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.unlink(missing_ok=True)  # an sdist's tree hard-links the checkout's files
        with mo.open("wb") as stream:
            write_mo(stream, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithResources(build_py):
    """build_py, plus resources/ copied into the package as planner/_resources."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self._resources = self._copy_resources()

    def _copy_resources(self) -> list[Path]:
        source = ROOT / SOURCE
        if not (source / "regimens").is_dir():
            raise SetupError(f"{source} holds no regimens: the package would be empty")
        target = Path(self.build_lib) / PACKAGED
        shutil.rmtree(target, ignore_errors=True)  # nothing left from an earlier build
        written = []
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if path.is_file() and path.suffix not in SOURCES_ONLY and not _hidden(relative):
                copy = target / relative
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, copy)
                written.append(copy)
        written += compile_catalogues(source, target)
        if not any(path.suffix == ".mo" for path in written):
            raise SetupError(f"{source / 'translations'} holds no catalogue to compile")
        return written

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = super().get_outputs(include_bytecode)
        return outputs + [str(path) for path in getattr(self, "_resources", [])]


class SdistWithCatalogues(sdist):
    """sdist, plus the compiled catalogues beside their .po."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        compile_catalogues(ROOT / SOURCE, Path(base_dir, SOURCE))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


# setuptools runs this file as __main__; tests/test_package.py imports it to try its steps.
if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildWithResources, "sdist": SdistWithCatalogues})
