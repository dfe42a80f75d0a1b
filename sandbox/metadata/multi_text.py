"""What the data element and option set controllers check before a CRUD create or update
(`preCreateEntity` / `preUpdateEntity`, after the body is read and, on PUT, the path uid set;
not on `/api/metadata`, whose hooks only have E1118: `hooks.py#option`). The same at 2.41.9,
2.42.5 and 2.43.1.

`webapi/controller/dataelement/DataElementController` → `DefaultDataElementService#
validateDateElement`, an IllegalQueryException, which `CrudControllerAdvice#
illegalQueryExceptionHandler` answers 409 with its code:
- no option set: a MULTI_TEXT data element is E1116 (its uid);
- an option set not found (`optionSetStore.getByUid`, through `getSharingPredicates`: one
  the caller may not read is not found either, `acl.shared_for_read`): nothing more;
- the set's value type is not the element's: E1115 (the set's value type);
- a MULTI_TEXT element whose set has a code with the separator `,`: E1117 (element uid, set
  uid, the first such code).
`webapi/controller/option/OptionSetController` → `DefaultOptionService#validateOptionSet`, a
ConflictException (409 with its code), for MULTI_TEXT sets only, option by option: one sent
without code (`""` is none: the same mapper's EmptyStringToNullStdDeserializer) is read
from the store by its uid, missing → E1113 (`Option`, uid); still without
code → E4000 (`code`); a code with `,` → E1118 (set uid, code).
A uid the payload does not give is still null when they run, so it prints `null`.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User

_SEPARATOR = ","  # ValueType.MULTI_TEXT_SEPARATOR


def _uid(obj: dict[str, Any]) -> str:
    uid = obj.get("id")
    return uid if isinstance(uid, str) and uid else "null"


def _ref_uid(ref: Any) -> str | None:
    uid = ref.get("id") if isinstance(ref, dict) else None
    return uid if isinstance(uid, str) and uid else None


def _conflict(code: str, message: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.conflict(message, code))


def check_data_element(store: Store, user: User, minor: str, element: dict[str, Any]) -> None:
    """`DefaultDataElementService#validateDateElement`."""
    value_type = element.get("valueType")
    ref = element.get("optionSet")
    if not isinstance(ref, dict):
        if value_type == "MULTI_TEXT":
            raise _conflict("E1116", "Data element of value type multi-text must have an option "
                                     f"set: `{_uid(element)}`")
        return
    uid = _ref_uid(ref)
    option_set = store.get_object("optionSets", uid) if uid else None
    if option_set is None or not acl.shared_for_read(user, "optionSets", option_set, minor):
        return
    if option_set.get("valueType") != value_type:
        raise _conflict("E1115", "Data element value type must match option set value type: "
                                 f"`{option_set.get('valueType') or 'null'}`")
    if value_type == "MULTI_TEXT":
        codes = [c for c in _option_codes(store, option_set) if _SEPARATOR in c]
        if codes:
            raise _conflict("E1117", f"Data element `{_uid(element)}` of value type multi-text "
                                     f"cannot reference an option set `{option_set.get('id')}` "
                                     "with the separator character in one of its codes: "
                                     f"`{codes[0]}`")


def _option_codes(store: Store, option_set: dict[str, Any]) -> list[str]:
    codes = []
    for ref in option_set.get("options") or []:
        uid = _ref_uid(ref)
        option = (store.get_object("options", uid) if uid else None) or ref
        if isinstance(option, dict) and isinstance(option.get("code"), str):
            codes.append(option["code"])
    return codes


def check_option_set(store: Store, user: User, minor: str, option_set: dict[str, Any]) -> None:
    """`DefaultOptionService#validateOptionSet`. Options are not shareable, so
    `optionStore.getByUid` finds any stored option (`user` and `minor` unused)."""
    if option_set.get("valueType") != "MULTI_TEXT":
        return
    for option in option_set.get("options") or []:
        if not isinstance(option, dict):
            continue
        code = option.get("code")
        if code == "":
            # the option is read by the mapper's EmptyStringToNullStdDeserializer, as every
            # String of the body (`binding.py`): an empty code is none
            code = None
        uid = _ref_uid(option)
        if code is None and uid is not None:
            stored = store.get_object("options", uid)
            if stored is None:
                raise _conflict("E1113", "Object of type `Option` not found or not accessible: "
                                         f"`{uid}`")
            code = stored.get("code")
        if code is None:
            raise _conflict("E4000", "Missing required property `code`")
        if _SEPARATOR in str(code):
            raise _conflict("E1118", f"Option set `{_uid(option_set)}` of value type multi-text "
                                     "cannot have option codes with the separator character: "
                                     f"`{code}`")


PRE_SAVE = {"dataElements": check_data_element, "optionSets": check_option_set}
