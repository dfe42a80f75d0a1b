"""`GET /api/organisationUnits` parameters of its own: `level`, `maxLevel`, the user hierarchy
limits and the user's own units (`Release.org_unit_list_params_combined`).

dhis2-core `webapi/controller/organisationunit/OrganisationUnitController.java`:
- 2.42.5 / 2.43.1 `GetOrganisationUnitObjectListParams` (:120-203) and `#getAdditionalFilters`
  (:347-393): `level` is `eq level`, or with the bindable (undocumented) `Integer parentLevel`
  (:140) `eq level parentLevel + max(0, level)` (int arithmetic, :352-356); `parentLevel`
  alone does nothing; `maxLevel` is `le level`. `withinUserHierarchy` (capture units),
  `withinDataViewUserHierarchy` (data view units) and `withinUserSearchHierarchy` (search
  units; the capture units when there are none and nothing else was asked) gather one set of
  parents, joined by `|` into a single `token` filter on `path` (:382-384): TokenUtils
  (#getTokens, #createRegex `(?=.*a)(?=.*b)`, in SQL `regexp_search` = `~*`; in memory #test
  with every token) keeps the units whose path holds EVERY parent, case-insensitively, so
  two parents on different branches keep nothing; `userOnly` keeps the capture units
  themselves, `userDataViewFallback` the data view units (or the root level without any), else
  `userDataViewOnly` the data view units; all of them and `filter` combine.
- 2.41.9: `userOnly=true`, `userDataViewOnly=true`, `userDataViewFallback=true` and
  `levelSorted=true` are mappings of their own (:285, :306, :328, :352) that list those units
  and read no other of these parameters. Two of them in one request tie in Spring 5.3.39
  `AbstractHandlerMethodMapping#lookupHandlerMethod` (:410-434; `ParamsRequestCondition
  #compareTo` :134-140 counts one value expression each, so `getObjectList`'s presence-only condition
  (:374-376) and the plain `@GetMapping` lose): an IllegalStateException "Ambiguous handler
  methods mapped for '<request URI>': {m1, m2}" with the two `java.lang.reflect.Method
  #toString`s, answered by `CrudControllerAdvice#dataApprovalExceptionHandler` (:388-392) as
  409 without errorCode (`ambiguous_mapping`). Which two it names, and in which order, is the
  order of `Class#getDeclaredMethods` (registration order, kept by the stable sort), which Java
  leaves unspecified; the sandbox names them in source order. Otherwise `#getObjectList`
  (:391-427) reads `level`, `maxLevel` and the
  hierarchy of `withinUserHierarchy`, else of `withinUserSearchHierarchy` (search units with
  the capture units as fallback: `User#getTeiSearchOrganisationUnitsWithFallback`) through
  `HibernateOrganisationUnitStore#getOrganisationUnits` (`path like <parent path>%`, any
  parent); no `parentLevel`.
`level`/`maxLevel`/`parentLevel` are Integers as Spring binds them (`core/spring_params.py
#spring_int`): empty is none, hex by `Integer#decode`, else decimal by `Integer#valueOf` (`08` is
8), a refused value 400 "Value 'x' is not valid for parameter level. For input string: \"x\""
(no errorCode; `CrudControllerAdvice` #methodArgumentTypeMismatchException on 2.41.9,
#handleBindException on 2.42.5 / 2.43.1). 2.42.5 / 2.43.1 bind the whole bean, the parameters
in name order (ServletRequestParameterPropertyValues' TreeMap), and answer its first field
error: the Integers, the primitive `boolean` flags (:163-202: a value StringToBooleanConverter
refuses, or an empty one, 400 "Value 'maybe' is not valid for parameter userOnly. It should be
of type boolean" / "userOnly cannot be empty. …"), `GetObjectListParams`' `boolean paging`,
`int page`, `int pageSize` (`query.py#bind_paging_value`) and its enums `rootJunction`
(:79, `Junction.Type`), `GetObjectParams#defaults` (:76, `Defaults`), both org.hisp.dhis enums
read by CrudControllerAdvice's ConvertEnum (`EnumUtils#getEnumIgnoreCase`, untrimmed; 400
"… Valid values are: [AND, OR]"). 2.41.9's `withinUserHierarchy`, `withinUserSearchHierarchy`
are `@RequestParam Boolean` (:396-397), read in that order after `level`, `maxLevel`: empty is
none, another value 400 "Value 'maybe' is not valid for parameter withinUserHierarchy. Invalid
boolean value 'maybe'". 2.41.9's `levelSorted=true` (`#getAllOrganisationUnitsByLevel`
:352-370) lists every unit (`manager.getAll`) and reads none of the other parameters; its
level sort is lost, as the flag mappings hand their units to
`AbstractFullReadOnlyController#getObjectList(…, objects)` (:195-253) → `#getEntityList`
(:540-569), whose `Query#setDefaultOrder` orders by name (and id) when no `order` is given and
whose `InMemoryQueryEngine#query` (:61-70) cuts the page by `PagerUtils#pageCollection`
(:44-60: an offset past the end moves to the last unit) before `#getObjectList` counts that
cut as the total and skips `(page - 1) * pageSize` of it again (:225-238): page 1 holds at
most `pageSize` units and says so, a later page is empty (`in_memory_page`). 2.41.9's
`params = "getObjectList"` override of `#getObjectList` (:372-383, "to effectively remove the
@GetMapping") is the handler of a request naming a `getObjectList` parameter and none of the
`<flag>=true`s; Spring 5.3.39 does not inherit the superclass's parameter annotations
(`HandlerMethod#getInterfaceParameterAnnotations` :392-406 reads interfaces only), so its
`UserDetails currentUser` has no `@CurrentUser` (`CurrentUserHandlerMethodArgumentResolver
#supportsParameter` :56-64) and falls to the model attribute resolver, which cannot construct
an interface (`BeanUtils#getResolvableConstructor` :241-271): an IllegalStateException before
the handler runs, 409 without errorCode "No primary or single unique constructor found for
interface org.hisp.dhis.user.UserDetails" (`CrudControllerAdvice#dataApprovalExceptionHandler`
:388-392). Not emulated: `query`, `memberObject` / `memberCollection` (`memberCount`), the
`/{uid}?level=` and `/{uid}/children` forms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scdi.sandbox.core import web_data_binder, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.spring_params import convert_enum, java_blank, not_valid_value, spring_bool, spring_int
from scdi.sandbox.metadata.query import LIST_PARAMS_BEAN as LIST_PARAMS_BEAN_BASE
from scdi.sandbox.metadata.query import bind_paging_value
from scdi.sandbox.metadata.query import paging_params as mq_paging

Keep = Callable[[dict[str, Any]], bool]
_INTEGERS = ("level", "maxLevel")
# the bean's Integers (2.42.5 / 2.43.1 :140-156)
_BEAN_INTEGERS = ("level", "maxLevel", "parentLevel")
# GetOrganisationUnitObjectListParams' primitive booleans (2.42.5 / 2.43.1)
_BEAN_FLAGS = ("withinUserHierarchy", "withinDataViewUserHierarchy", "withinUserSearchHierarchy",
               "userOnly", "userDataViewOnly", "userDataViewFallback", "levelSorted")
# GetObjectListParams' primitive paging fields and the bean's enums with their constants
_PAGING = ("paging", "page", "pageSize")
_ENUMS = {"rootJunction": ("AND", "OR"), "defaults": ("INCLUDE", "EXCLUDE")}
# GetOrganisationUnitObjectListParams' properties for the data binder: GetObjectListParams'
# and `memberObject`, `memberCollection`, the Integers (null when marked) and the flags (false)
LIST_PARAMS_BEAN = {**LIST_PARAMS_BEAN_BASE,
                    **dict.fromkeys(("memberObject", "memberCollection", *_BEAN_INTEGERS),
                                    web_data_binder.Empty.NULL),
                    **dict.fromkeys(_BEAN_FLAGS, web_data_binder.Empty.FALSE)}
# 2.41.9 #getObjectList's `@RequestParam Boolean`s, in the order of its arguments
_PARAM_FLAGS = ("withinUserHierarchy", "withinUserSearchHierarchy")


def _integer(ctx: Ctx, name: str) -> int | None:
    # an optional `Integer` (2.41.9 `@RequestParam(required = false)`, 2.42.5/2.43.1 a bean
    # field): a value the ConversionService refuses falls back to the default
    # CustomNumberEditor, for which only whitespace (`StringUtils#hasText`) is null too
    raw = ctx.request.args.get(name)
    if raw is None or java_blank(raw):
        return None
    try:
        return spring_int(raw)
    except ValueError as refused:
        raise webmessage.fail(webmessage.error(
            400, f"Value '{raw}' is not valid for parameter {name}. {refused}")) from None


def _flag(ctx: Ctx, name: str) -> bool:
    try:
        return bool(spring_bool(ctx.request.args.get(name) or ""))
    except ValueError:
        return False  # `_bind` refused it already where a binder reads it


def _bean_flag(name: str, raw: str) -> None:
    value: bool | None
    try:
        value = spring_bool(raw)
    except ValueError:
        value = None
    if value is None:
        raise webmessage.fail(webmessage.error(
            400, f"{not_valid_value(name, raw)} It should be of type boolean"))


def _param_flag(name: str, raw: str) -> None:
    try:
        spring_bool(raw)
    except ValueError as refused:
        raise webmessage.fail(webmessage.error(
            400, f"Value '{raw}' is not valid for parameter {name}. {refused}")) from None


def _bean_enum(name: str, raw: str) -> None:
    """An org.hisp.dhis enum field of the bean (`convert_enum`)."""
    convert_enum(name, raw, _ENUMS[name])


def _bind(ctx: Ctx) -> None:
    """Refuse the first typed parameter the release's binding cannot convert."""
    args = ctx.request.args
    if ctx.release.org_unit_list_params_combined:
        typed = (*_BEAN_INTEGERS, *_BEAN_FLAGS, *_PAGING, *_ENUMS)
        for name in sorted(n for n in args if n in typed):
            if name in _BEAN_INTEGERS:
                _integer(ctx, name)
            elif name in _PAGING:
                bind_paging_value(name, args[name])
            elif name in _ENUMS:
                _bean_enum(name, args[name])
            else:
                _bean_flag(name, args[name])
        return
    for name in _INTEGERS:
        _integer(ctx, name)
    for name in _PARAM_FLAGS:
        if name in args:
            _param_flag(name, args[name])


# 2.41.9 OrganisationUnitController's `params = "<flag>=true"` mappings in source order: the
# flag, the method and its `@CurrentUser` type (the rest of the signature is the same)
_FLAG_MAPPINGS = (("userOnly", "getUserOrganisationUnits", "org.hisp.dhis.user.User"),
                  ("userDataViewOnly", "getUserDataViewOrganisationUnits", "org.hisp.dhis.user.User"),
                  ("userDataViewFallback", "getUserDataViewOrganisationUnitsWithFallback",
                   "org.hisp.dhis.user.User"),
                  ("levelSorted", "getAllOrganisationUnitsByLevel", "org.hisp.dhis.user.UserDetails"))


def _method_string(name: str, user_type: str) -> str:
    """`java.lang.reflect.Method#toString` of the mapping: erased types, no spaces between them."""
    return ("public org.springframework.http.ResponseEntity org.hisp.dhis.webapi.controller."
            f"organisationunit.OrganisationUnitController.{name}(boolean,java.util.Map,"
            "org.hisp.dhis.dxf2.common.OrderParams,javax.servlet.http.HttpServletResponse,"
            f"{user_type}) throws org.hisp.dhis.feedback.ForbiddenException,"
            "org.hisp.dhis.feedback.BadRequestException")


def ambiguous_mapping(ctx: Ctx) -> None:
    """2.41.9: refuse a request two `<flag>=true` mappings match (409, before any check of
    the controller); `params` conditions compare `getParameter`, the first value, exactly."""
    if ctx.release.org_unit_list_params_combined:
        return
    tied = [(name, user) for flag, name, user in _FLAG_MAPPINGS
            if ctx.request.args.get(flag) == "true"]
    if len(tied) < 2:
        return
    # HttpServletRequest#getRequestURI: the path as sent, still percent-encoded
    raw = ctx.request.environ.get("RAW_URI") or ctx.request.environ.get("REQUEST_URI") \
        or ctx.request.path
    uri = raw.split("?", 1)[0]
    methods = ", ".join(_method_string(name, user) for name, user in tied[:2])
    raise webmessage.fail(webmessage.conflict_message(
        f"Ambiguous handler methods mapped for '{uri}': {{{methods}}}"))


def _flag_mapping(ctx: Ctx) -> bool:
    """2.41.9: whether one of the `<flag>=true` mappings handles the request."""
    return not ctx.release.org_unit_list_params_combined and any(
        ctx.request.args.get(flag) == "true" for flag, _, _ in _FLAG_MAPPINGS)


def unresolvable_handler(ctx: Ctx) -> None:
    """2.41.9: the `params = "getObjectList"` override's `UserDetails` argument, which no
    resolver can give (409, after the handler lookup and before the handler)."""
    if ctx.release.org_unit_list_params_combined or "getObjectList" not in ctx.request.args \
            or _flag_mapping(ctx):
        return
    raise webmessage.fail(webmessage.conflict_message(
        "No primary or single unique constructor found for interface org.hisp.dhis.user.UserDetails"))


def in_memory_page(ctx: Ctx, rows: list[Any]) -> list[Any]:
    """2.41.9's flag mappings: the page `InMemoryQueryEngine` cuts by `PagerUtils
    #pageCollection`, which the list then counts and pages again (`query.page`)."""
    if not _flag_mapping(ctx):
        return rows
    paging, number, size = mq_paging(ctx)
    if not paging or size <= 0:
        return rows
    offset = (max(number, 1) - 1) * size  # PaginationUtils#getPaginationData :52-56
    if offset == 0 and len(rows) <= size:
        return rows
    if offset >= len(rows):
        offset = max(len(rows) - 1, 0)
    return rows[offset:offset + min(size, len(rows) - offset)]


def _level(row: dict[str, Any]) -> int:
    level = row.get("level")
    return level if isinstance(level, int) else len(str(row.get("path") or "").strip("/").split("/"))


def _within(units: Iterable[str]) -> Keep:
    """2.41.9 `path like <parent path>%` for any one of the parents."""
    roots = set(units)
    return lambda row: bool(roots & set(str(row.get("path") or "").strip("/").split("/")))


def _java_int(value: int) -> int:
    """The value as a Java `int` sum wraps it (two's complement, 32 bits)."""
    return (value + 2**31) % 2**32 - 2**31


def _tokens(text: str) -> list[str]:
    """TokenUtils#getTokens: what is neither a letter (`\\p{L}`) nor an ASCII digit
    separates the tokens."""
    spaced = "".join(c if c.isalpha() or "0" <= c <= "9" else " " for c in text)
    return spaced.split()


def _path_holds_all(units: Iterable[str]) -> Keep:
    """`token("path", "a|b", ANYWHERE)` not case-sensitive: every token, lowercased, is within
    one of the path's tokens (TokenUtils#test; the SQL `~*` lookaheads keep the same rows)."""
    wanted = _tokens("|".join(units).lower())

    def keep(row: dict[str, Any]) -> bool:
        have = _tokens(str(row.get("path") or "").lower())
        return all(any(w in h for h in have) for w in wanted)
    return keep


def _among(units: Iterable[str]) -> Keep:
    ids = set(units)
    return lambda row: row.get("id") in ids


def restrictions(ctx: Ctx) -> list[Keep]:
    """What the request's own parameters keep, each one a test of an org unit row."""
    user, args = ctx.user, ctx.request.args
    if ctx.release.org_unit_list_params_combined:
        _bind(ctx)
    else:
        # Spring's `params = "userOnly=true"` conditions compare the raw value
        if args.get("userOnly") == "true":
            return [_among(user.capture_org_units)]
        if args.get("userDataViewOnly") == "true":
            return [_among(user.view_org_units)]
        if args.get("userDataViewFallback") == "true":
            return [_among(user.view_org_units) if user.view_org_units else (lambda r: _level(r) == 1)]
        if args.get("levelSorted") == "true":
            return []  # `manager.getAll`: every unit
        _bind(ctx)
    keep: list[Keep] = []
    level, max_level = _integer(ctx, "level"), _integer(ctx, "maxLevel")
    if level is not None and ctx.release.org_unit_list_params_combined:
        parent_level = _integer(ctx, "parentLevel")
        if parent_level is not None:
            level = _java_int(parent_level + max(0, level))
    if level is not None:
        keep.append(lambda r: _level(r) == level)
    if max_level is not None:
        keep.append(lambda r: _level(r) <= max_level)
    if not ctx.release.org_unit_list_params_combined:
        if _flag(ctx, "withinUserHierarchy"):
            parents: tuple[str, ...] = user.capture_org_units
        elif _flag(ctx, "withinUserSearchHierarchy"):
            parents = user.search_org_units or user.capture_org_units
        else:
            parents = ()
        if parents:
            keep.append(_within(parents))
        return keep
    chosen: set[str] | None = None
    if _flag(ctx, "withinUserHierarchy"):
        chosen = set(user.capture_org_units)
    if _flag(ctx, "withinDataViewUserHierarchy"):
        chosen = (chosen or set()) | set(user.view_org_units)
    if _flag(ctx, "withinUserSearchHierarchy"):
        if user.search_org_units:
            chosen = (chosen or set()) | set(user.search_org_units)
        elif chosen is None:
            chosen = set(user.capture_org_units)
    if chosen:
        keep.append(_path_holds_all(chosen))
    if _flag(ctx, "userOnly"):
        keep.append(_among(user.capture_org_units))
    if _flag(ctx, "userDataViewFallback"):
        keep.append(_among(user.view_org_units) if user.view_org_units else (lambda r: _level(r) == 1))
    elif _flag(ctx, "userDataViewOnly"):
        keep.append(_among(user.view_org_units))
    return keep
