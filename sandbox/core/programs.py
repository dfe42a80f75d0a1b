"""What kind of program a program is: `program/Program.java#isRegistration` and
`#isWithoutRegistration` (2.41.9 :640/:646, 2.42.5 :642/:648, 2.43.1 :1120/:1126), both a
comparison of `programType` with one constant.

The one place the sandbox asks whether a program (and so its events and enrollments) is a
tracker program or an event program. `Program.programType` has no initial value, but its
`program.type` column is not null (2.41.9/2.42.5 `Program.hbm.xml` :66, 2.43.1
`Program.java` :225) and the schema requires it (E4000), so
every stored program has a type; an object put into the store without one is read as a tracker
program. A payload object is different: as Jackson binds it, no `programType` is Java's null,
for which both getters are false (`bound=True`).
"""

from __future__ import annotations

from typing import Any


def program_type(program: dict[str, Any], bound: bool = False) -> str | None:
    given = program.get("programType")
    if given:
        return str(given)
    return None if bound else "WITH_REGISTRATION"


def is_registration(program: dict[str, Any], bound: bool = False) -> bool:
    return program_type(program, bound) == "WITH_REGISTRATION"


def is_without_registration(program: dict[str, Any], bound: bool = False) -> bool:
    return program_type(program, bound) == "WITHOUT_REGISTRATION"
