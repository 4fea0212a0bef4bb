"""What a metadata value a person types must look like, wherever they type it.

The cleaned file's header, the catalogue and the config all take dates and language codes
from people; TEI takes them in `@when` and `xml:lang`. One test of each, shared by every reader,
so a value refused in one place is refused in all.
"""

from __future__ import annotations

import datetime
import re

# What TEI's @when takes, at the precision a date is known: a year, a month or a day.
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ISO_DATE_FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
# A BCP 47 tag as xml:lang should hold it: a two- or three-letter ISO 639 code, then subtags
# (xsd:language alone would take "English").
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def is_iso_date(text: str) -> bool:
    """A year, month or day as @when takes it, and one the calendar has (no 30 February)."""
    if not ISO_DATE.match(text):
        return False
    try:
        datetime.datetime.strptime(text, ISO_DATE_FORMATS[len(text)])
    except ValueError:
        return False
    return True


def is_language_tag(text: str) -> bool:
    return bool(LANGUAGE_TAG.match(text))
