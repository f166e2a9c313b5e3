"""The domain: regimens, closure calendars, the scheduling engine and port advice.

Pure Python: no Qt, no file or database I/O, no clock, no global state, no randomness.
Every function takes what it needs (dates, calendars, rule tables) as parameters and returns
new immutable values.
"""
