"""`String#split(regex)` / `Pattern#split(input)` as Java reads them, for the parameters DHIS2
splits that way (analytics dimensions, tracker filters).

Java answers the input itself when nothing matches (so "" gives [""]) and otherwise drops the
trailing empty strings, possibly all of them ("::" gives []), where Python keeps every part.
"""

from __future__ import annotations

import re


def java_split(pattern: str | re.Pattern[str], text: str) -> list[str]:
    parts = (pattern.split(text) if isinstance(pattern, re.Pattern)
             else text.split(pattern))
    if len(parts) == 1:
        return parts
    while parts and parts[-1] == "":
        parts.pop()
    return parts
