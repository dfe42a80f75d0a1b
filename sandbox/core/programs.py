"""What kind of program a program is: `program/Program.java#isRegistration` and
`#isWithoutRegistration` (2.41.9 :640/:646, 2.42.5 :642/:648, 2.43.1 :1120/:1126).

The one place the sandbox asks whether a program (and so its events and enrollments) is a
tracker program or an event program. DHIS2's `program.type` column is not null, so every stored
program has a type; an object put into the store without one is read as a tracker program.
"""

from __future__ import annotations

from typing import Any


def is_registration(program: dict[str, Any]) -> bool:
    return (program.get("programType") or "WITH_REGISTRATION") == "WITH_REGISTRATION"


def is_without_registration(program: dict[str, Any]) -> bool:
    return not is_registration(program)
