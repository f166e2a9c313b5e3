"""The Europe/Paris VTIMEZONE written into every file agrees with the zone database."""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.export.timezone import ZONE, paris_timezone


def test_the_written_zone_gives_the_same_offsets_as_the_zone_database() -> None:
    written = paris_timezone().to_tz()
    moment = datetime(2000, 1, 1, 0, 30)  # noqa: DTZ001 - wall-clock times, zone added below
    checked = 0
    while moment < datetime(2038, 1, 1):  # noqa: DTZ001
        ours = moment.replace(tzinfo=written).utcoffset()
        reference = moment.replace(tzinfo=ZONE).utcoffset()
        assert ours == reference, moment
        moment += timedelta(hours=5)
        checked += 1
    assert checked > 60_000
