"""The progress bar: drawn on a terminal, nothing at all for a script or a test."""

from __future__ import annotations

import io

from planner.cli.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_is_redrawn_in_place_and_its_line_ended() -> None:
    err = Terminal()
    clock = iter(float(n) for n in range(100))
    with ProgressBar(err, clock=lambda: next(clock)) as bar:
        bar.show("Building the patients", 0, 20_000)
        bar.show("Building the patients", 4_210, 20_000)
        bar.show("Booking the sessions", 20_000, 20_000)
        bar.show("Booking the sessions", 20_000, 20_000)  # said once
    lines = err.getvalue().split("\n")
    assert lines[-1] == ""  # the last line ended
    first, second = lines[:-1]
    assert first.split("\r")[1:] == [
        "Building the patients  [..............................]  0 / 20,000",
        "Building the patients  [######........................]  4,210 / 20,000",
    ]
    assert second == "\rBooking the sessions  [" + "#" * 30 + "]  20,000 / 20,000"


def test_redraws_are_spaced_in_time_but_the_end_is_always_drawn() -> None:
    err = Terminal()
    with ProgressBar(err, clock=lambda: 0.0) as bar:
        for done in range(1, 101):
            bar.show("Saving the plans", done, 100)
    assert [d.split("]  ")[1] for d in err.getvalue().strip().split("\r") if d] == [
        "1 / 100",
        "100 / 100",
    ]


def test_nothing_is_written_when_the_output_is_not_a_terminal() -> None:
    err = io.StringIO()
    with ProgressBar(err) as bar:
        bar.step("Saving the plans")(5, 10)
    assert err.getvalue() == ""
