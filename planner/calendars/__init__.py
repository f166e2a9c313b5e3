"""Patients' live calendars on a CalDAV server."""
