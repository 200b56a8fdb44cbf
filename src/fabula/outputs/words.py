"""Counts and durations in words, for everything fabula writes for people ("1 scene",
"2 scenes", "3 min 12 s")."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: "1 scene", "0 scenes", "2 works"."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


SECONDS_PER_MINUTE = 60
MINUTES_PER_HOUR = 60


def duration(seconds: float) -> str:
    """As precise as a person needs: "4.2 s", "3 min 12 s", "2 h 5 min"."""
    if seconds < SECONDS_PER_MINUTE:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), SECONDS_PER_MINUTE)
    if minutes < MINUTES_PER_HOUR:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, MINUTES_PER_HOUR)
    return f"{hours} h {minutes} min"
