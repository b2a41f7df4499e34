"""A small, independent model of China's official working time for checking deadlines.

Holidays and make-up working days of 2025 and 2026 are restated from the State Council's
yearly notices (国务院办公厅关于2025年/2026年部分节假日安排的通知). Any other day follows the
weekly rule. Office hours are 08:30-12:00 and 13:30-17:30, China Standard Time (UTC+8).
"""

import datetime as dt

CST = dt.timezone(dt.timedelta(hours=8))
PUBLISHED_YEARS = {2025, 2026}


def _days(*ranges):
    out = set()
    for first, last in ranges:
        d = dt.date.fromisoformat(first)
        while d <= dt.date.fromisoformat(last):
            out.add(d)
            d += dt.timedelta(days=1)
    return out


OFF_DAYS = _days(
    ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"))
MAKE_UP_DAYS = {dt.date.fromisoformat(d) for d in (
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")}
PERIODS = ((dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30)))


def is_working_day(day):
    if day in OFF_DAYS:
        return False
    if day in MAKE_UP_DAYS:
        return True
    return day.weekday() < 5


def _periods(day):
    return [(dt.datetime.combine(day, a, CST), dt.datetime.combine(day, b, CST))
            for a, b in PERIODS] if is_working_day(day) else []


def add_working_hours(start, hours):
    start = start.astimezone(CST)
    left = dt.timedelta(seconds=round(hours * 3600))
    if left <= dt.timedelta(0):
        return start
    day = start.date()
    while True:
        for a, b in _periods(day):
            begin = max(a, start)
            if begin >= b:
                continue
            if b - begin >= left:
                return begin + left
            left -= b - begin
        day += dt.timedelta(days=1)


def next_office_moment(t):
    t = t.astimezone(CST)
    day = t.date()
    while True:
        for a, b in _periods(day):
            if t < b:
                return max(a, t)
        day += dt.timedelta(days=1)


def add_working_days(start, days):
    t = next_office_moment(start)
    day, n = t.date(), 0
    while n < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n += 1
    return dt.datetime.combine(day, t.timetz())


def add_natural_hours(start, hours):
    return (start + dt.timedelta(seconds=round(hours * 3600))).astimezone(CST)


def add(start, amount, unit):
    return {"working_hours": add_working_hours, "working_days": add_working_days,
            "natural_hours": add_natural_hours}[unit](start, amount)


def rfc3339(t):
    return t.astimezone(CST).isoformat(timespec="seconds")


def parse(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
