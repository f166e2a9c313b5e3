"""Calendars and files for patients and coordinators (iCalendar, CSV); no Qt."""
