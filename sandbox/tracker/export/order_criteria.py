"""`order` of the tracker exports and change logs as Spring binds it into the request params'
`List<OrderCriteria> order`, before any validator reads a name.

One value goes through StringToCollectionConverter (split by
StringUtils#commaDelimitedListToStringArray, empty items kept, each item trimmed, an empty value
an empty list); several values through ArrayToCollectionConverter (each value whole). Every
item is read by `OrderCriteria#valueOf` (2.41.9 / 2.42.5
`webapi/controller/event/webrequest/OrderCriteria.java`, 2.43.1 `common/OrderCriteria.java`):
`String#split(":")`, more than two parts refused, an empty field refused, the direction
`SortDirection#of` (case-insensitive `asc`/`desc`, else "'x' is not a valid sort direction.
Valid values are: [ASC, DESC]."). "::" splits into nothing, so `props[0]` throws
ArrayIndexOutOfBoundsException, whose message is the answer's.

The converter's ConversionFailedException (value the item) reaches
`CrudControllerAdvice#handleBindException` → `#handleTypeMismatchException` →
`#getConversionErrorMessage`: "Value '<item>' is not valid for parameter order. <cause>" ("order
cannot be empty. <cause>" for an empty item; "You likely repeated request parameter 'order' …"
for an item with a comma among repeated values), 400 without errorCode (`#handleBindException`
/ `#handleTypeMismatchException` / `#getConversionErrorMessage` 2.41.9 :347 / :254-277 / :319-335,
2.42.5 and 2.43.1 :355 / :261-284 / :326-342).
"""

from __future__ import annotations

from scdi.sandbox.core import java_string, webmessage
from scdi.sandbox.core.java_split import java_split


def unbound(message: str) -> webmessage.HttpError:
    """`badRequest(String)`: a 400 WebMessage without errorCode."""
    return webmessage.fail(webmessage.bad_request_message(message))


_FORMATS = ("'. Valid formats are 'field:direction' or 'field'. Valid directions are 'asc' or "
            "'desc'. Direction defaults to 'asc'.")


def _value_of(item: str) -> tuple[str, str]:
    """`OrderCriteria#valueOf`: (field, "asc" | "desc"), or ValueError with its message."""
    props = java_split(":", item)
    if len(props) > 2:
        raise ValueError(f"Invalid order property: '{item}{_FORMATS}")
    if not props:
        raise ValueError("Index 0 out of bounds for length 0")
    field = java_string.trim(props[0])
    if not field:
        raise ValueError(f"Missing field name in order property: '{item}{_FORMATS}")
    if len(props) == 1:
        return field, "asc"
    direction = java_string.trim(props[1])
    if direction.lower() not in ("asc", "desc"):
        raise ValueError(f"'{direction}' is not a valid sort direction. Valid values are: "
                         "[ASC, DESC].")
    return field, direction.lower()


def _refusal(item: str, repeated: bool, cause: str) -> webmessage.HttpError:
    if repeated and "," in item:
        return unbound("You likely repeated request parameter 'order' and used multiple "
                       "comma-separated values within at least one of its values. Choose one "
                       f"of these approaches. {cause}")
    if not item:
        return unbound(f"order cannot be empty. {cause}")
    return unbound(f"Value '{item}' is not valid for parameter order. {cause}")


def bind_order(values: list[str]) -> list[tuple[str, str]]:
    """The `order` request parameter's values bound to (field, direction) pairs, in order."""
    if not values:
        return []
    repeated = len(values) > 1
    if repeated:
        items = values
    elif not values[0]:
        items = []
    else:
        items = [java_string.trim(item) for item in values[0].split(",")]
    specs = []
    for item in items:
        try:
            specs.append(_value_of(item))
        except ValueError as refused:
            raise _refusal(item, repeated, str(refused)) from None
    return specs
