"""The command line's own options: the version."""

from __future__ import annotations

import pytest

from planner import __version__
from planner.cli import main


def test_version_says_the_programs_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"infusion-planner {__version__}\n"
