"""Java `double` values as Jackson writes them: `Double#toString` (Jackson's default
`NumberOutput#toString(double)`; its fast writer is off in DHIS2's object mappers).

`Double#toString`: between 10^-3 and 10^7 the plain decimal with at least one fraction digit
(`255.0`, `0.001`), otherwise the computerized scientific form `d.dddE±n` with at least one
fraction digit and no `+` (`1.0E9`, `1.7976931348623157E308`, `1.0E-4`); the digits are the
shortest that read back as the same double (JDK 19+; JDK 17's `FloatingDecimal` gives the
same digits for the values written here: integers, limits and short decimals).

Python's `json` writes every float through `float.__repr__`; the body writer
(`core/jackson_json.py`) writes each `JavaDouble` with `to_string`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal


class JavaDouble(float):
    """A float that is a `double` (or `Double`) field on the Java side."""


def to_string(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign, digit_tuple, exponent = Decimal(repr(float(value))).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    # the decimal exponent of the first digit: value = 0.d1d2… × 10^point
    point = len(digit_tuple) + exponent
    prefix = "-" if sign else ""
    if -3 < point <= 7:  # 10^-3 <= |value| < 10^7
        if point <= 0:
            return f"{prefix}0.{'0' * -point}{digits}"
        whole = digits[:point].ljust(point, "0")
        fraction = digits[point:] or "0"
        return f"{prefix}{whole}.{fraction}"
    return f"{prefix}{digits[0]}.{digits[1:] or '0'}E{point - 1}"


def message_format(value: int | float) -> str:
    """`MessageFormat#format` of a Number argument (`{0}` without a format type): the locale's
    `NumberFormat#getInstance`, for the English locales `#,##0.###` (grouped thousands, at most
    three fraction digits, rounded half-even): `1.0` → `1`, `2147483647.0` →
    `2,147,483,647`, `1234` → `1,234`."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        # a double has at most 309 integer digits
        number = Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN,
                                               context=Context(prec=400))
    else:
        number = Decimal(value)
    sign = "-" if number < 0 or (isinstance(value, float) and math.copysign(1.0, value) < 0) else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{int(whole):,}" + (f".{fraction}" if fraction else "")
