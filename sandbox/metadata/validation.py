"""Validation of a metadata bundle, check by check as DHIS2 runs them.

dhis2-core 2.42.5, `dhis-services/dhis-service-dxf2/.../dxf2/metadata/objectbundle/validation/`:
- chains per strategy: `dxf2/config/ServiceConfig.java#validatorsByImportStrategy`
  (DuplicateIds, Security, [Creation|Update], Schema, Uniqueness, References, UidFormat;
  DELETE: [OAuth2RuntimeState, 2.42+,] Security, Deletion), after `clean_defaults`;
- "removal" checks (`ObjectValidationCheck`) add one ignored per object report and drop the
  object from the bundle; `ReferencesCheck` (E5002) does not drop the object and adds ONE
  ignored per type in atomicMode ALL; `ValidationFactory#addStatistics` then counts what is
  left as created/updated/deleted;
- the bundle, its preheat and the error reports: `bundle.py`;
- E4000/E4001/E4002/E4003/E4004/E4005/E4006: `schema/validation/DefaultSchemaValidator.java`
  (E4005: passwords, `user/DefaultPasswordValidationService.java` and its rules);
- `ValidationHooksCheck` (object-bundle hooks' `validate`): `hooks.py`;
- `UniqueMultiPropertiesCheck` (E5005) and `NotOwnerReferencesCheck` (E5006, only with
  importReportMode ERRORS_NOT_OWNER) here;
- `MandatoryAttributesCheck` (E4011) and `UniqueAttributesCheck` (E4009): `attribute_rules.py`;
- `TranslationsCheck` (E1106, E1107, E4000 of a translation): `translations.py`;
- `GeoJsonAttributesCheck` (E6004, E6005): `geojson_attributes.py`;
- `MetadataAttributeCheck` (E6012, E60xx attribute value types): `attribute_values.py`;
- `DashboardCheck` (E4061, E4069, E4070), last: `dashboards.py`.
"""

from __future__ import annotations

import re
from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import email_address, java_double, java_hash, objects, webmessage
from scdi.sandbox.core.java_case import contains_ignore_case
from scdi.sandbox.core.java_double import JavaDouble
from scdi.sandbox.metadata import (
    attribute_rules,
    attribute_value_set,
    attribute_values,
    dashboards,
    geojson_attributes,
    reference_hash,
    registry,
    sharing_check,
    translations,
)
from scdi.sandbox.metadata import hooks as metadata_hooks
from scdi.sandbox.metadata.bundle import (
    Context,
    Item,
    TypeResult,
    error_report,
)
from scdi.sandbox.metadata.defaults import (
    DEFAULT_CATEGORY,
    DEFAULT_CATEGORY_COMBO,
    DEFAULT_CATEGORY_OPTION,
    DEFAULT_CATEGORY_OPTION_COMBO,
    DEFAULT_UIDS,
)
from scdi.sandbox.metadata.preheat import identifiers_with_name, user_identifiers
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import DEFAULT_MINOR, RELEASES

# ValidationUtils.HEX_COLOR_PATTERN, matched whole (`matcher(value).matches()`, so no trailing
# newline either; 2.41.9 :92-93, 2.42.5 and 2.43.1 :94-95)
_HEX = re.compile(r"#?([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})")


def _java_length(value: str) -> int:
    """String#length: UTF-16 code units (a character outside the BMP counts two)."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def _is_default(ref: Any, klass: str | None) -> bool:
    """Preheat#isDefault (2.41.9, 2.42.5, 2.43.1): a default class and its default's uid; a
    reference by code or name only has no uid, so it is looked up like any other."""
    default = _DEFAULT_BY_CLASS.get(klass or "")
    return isinstance(ref, dict) and default is not None and ref.get("id") == default


# Preheat#getDefaults: the one default object of each default class, by uid
_DEFAULT_BY_CLASS = {
    "org.hisp.dhis.category.Category": DEFAULT_CATEGORY,
    "org.hisp.dhis.category.CategoryCombo": DEFAULT_CATEGORY_COMBO,
    "org.hisp.dhis.category.CategoryOption": DEFAULT_CATEGORY_OPTION,
    "org.hisp.dhis.category.CategoryOptionCombo": DEFAULT_CATEGORY_OPTION_COMBO,
}


def clean_defaults(info: TypeInfo, items: list[Item]) -> list[Item]:
    """DefaultObjectBundleValidationService#cleanDefaults (2.41.9 :92-101, 2.42.5 and 2.43.1
    :95-104): before the chain the bundle drops a type's default object (`Preheat#isDefault`:
    a default class and the uid of its default), so no check sees it, it is not counted and
    the commit leaves the stored default alone. The dropped item is marked removed."""
    default = _DEFAULT_BY_CLASS.get(info.klass)
    kept = []
    for item in items:
        if item.uid == default:
            item.removed = True
        else:
            kept.append(item)
    return kept


# -- checks ---------------------------------------------------------------------------------
def duplicate_ids(result: TypeResult, items: list[Item]) -> None:
    """DuplicateIdsCheck#run: the persisted objects, then the new ones, each compared with the
    uid of the object just before it (`idMap` keeps one uid per class), so only a repeat that
    follows its twin is caught. The second argument is the object's Class: `args` and the
    message take its toString ("class org.hisp…", the full name), `errorProperties` Jackson's
    ClassSerializer, `Class#getName` ("org.hisp…")."""
    last: str | None = None
    for item in [i for i in items if i.persisted] + [i for i in items if not i.persisted]:
        if item.uid == last:
            result.report(item, [error_report(
                "E5004", result.info.klass, [item.uid, f"class {result.info.klass}"],
                properties=[item.uid, result.info.klass], main_id=item.uid,
                error_property="id")], True)
        else:
            last = item.uid


def validation_hooks(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    """ValidationHooksCheck#check (2.41.9 = 2.42.5 = 2.43.1): the hooks of every object the
    strategy selects, one already refused included (a repeat's E5004 only marks it;
    ValidationFactory#removeFromBundle drops the marked objects after the whole chain)."""
    for item in items:
        findings = metadata_hooks.validate(ctx, result.info.singular, item.obj)
        if findings:
            # A hook's `new ErrorReport(klass, code, args)`: its own main class, no mainId and
            # no errorKlass unless the hook sets them.
            reports = []
            for code, args, klass, *extra in findings:
                reports.append(error_report(code, klass or result.info.klass, args,
                                            **(extra[0] if extra else {})))
            result.report(item, reports, True)


def _user_identifier(ctx: Context) -> str:
    release = ctx.release
    return ctx.identifier if release.security_user_by_import_identifier else "UID"


def _verify_sharing(ctx: Context, result: TypeResult, item: Item, skip_sharing: bool) -> None:
    if skip_sharing:
        return
    errors = sharing_check.verify(result.info, item.obj, ctx.user, ctx.minor)
    if errors:
        result.report(item, errors, True)


def _allowed(ctx: Context, item: Item, strategy: str) -> str | None:
    """The authority check of `SecurityCheck#runValidationCheck` for one object, as the error
    code it fails with: CREATE asks `AclService#canCreate(user, klass)` (a shareable type:
    CREATE_PUBLIC or CREATE_PRIVATE, an empty list open to all; another type: CREATE), UPDATE
    `canUpdate` and DELETE `canDelete` of the preheat's stored object (`access/acl.py`)."""
    info, user, minor = item.info, ctx.user, ctx.minor
    if strategy == "DELETE":
        return None if acl.can_delete(user, info.plural, item.existing, minor) else "E3002"
    if not item.persisted:
        return None if acl.can_create_type(user, info.plural, minor) else "E3000"
    return None if acl.can_update(user, info.plural, item.existing, minor) else "E3001"


def security(ctx: Context, result: TypeResult, items: list[Item], strategy: str,
             skip_sharing: bool = False) -> None:
    """SecurityCheck (2.41.9 :73-162, 2.42.5 and 2.43.1 :75-164): the create / update / delete
    authority (E3000 / E3001 / E3002, a removal), then for an object that passed, under DELETE
    too, the sharing check (`sharing_check.py`) unless `skipSharing`. DELETE looks only at
    the persisted objects, CREATE at the new ones, UPDATE at the persisted ones."""
    for item in items:
        if strategy == "DELETE":
            if not item.persisted:
                continue
        elif strategy not in ("CREATE_AND_UPDATE", "UPDATE" if item.persisted else "CREATE"):
            continue
        code = _allowed(ctx, item, strategy)
        if code is not None:
            result.report(item, [error_report(
                code, result.info.klass,
                [user_identifiers(ctx.store, ctx.user, _user_identifier(ctx)),
                 identifiers_with_name(item.obj, result.info, ctx.identifier)])], True)
        else:
            _verify_sharing(ctx, result, item, skip_sharing)


_OAUTH2_RUNTIME_STATE = frozenset({
    "org.hisp.dhis.security.oauth2.authorization.Dhis2OAuth2Authorization",
    "org.hisp.dhis.security.oauth2.consent.Dhis2OAuth2AuthorizationConsent"})


def oauth2_runtime_state(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    """OAuth2RuntimeStateCheck (2.42.5 = 2.43.1): only Spring Authorization Server may remove
    its tokens and consents, so the DELETE chain refuses every one of them (a removal)."""
    info = result.info
    release = ctx.release
    if not release.metadata_oauth2_runtime_state_check or info.klass not in _OAUTH2_RUNTIME_STATE:
        return
    for item in [i for i in items if i.persisted] + [i for i in items if not i.persisted]:
        result.report(item, [error_report("E6023", info.klass, [info.simple_name])], True)


def creation(ctx: Context, result: TypeResult, items: list[Item], indexed: int) -> None:
    """CreationCheck#check builds its ObjectReport from the preheat's object, the stored one
    (`Preheat#put` keeps it: `putIfAbsent`), not the payload's: the bundle's
    IndexedObjectContainer is an IdentityHashMap, so the stored object gets the next index
    after the `indexed` payload objects of its type (ObjectBundle#addObject), and the report
    the stored object's uid and display name (ValidationUtils#createObjectReport)."""
    next_index: dict[str, int] = {}
    for item in items:
        if item.persisted:
            ident = identifiers_with_name(item.obj, result.info, ctx.identifier)
            index = next_index.setdefault(item.uid, indexed + len(next_index))
            stored = ctx.store.get_object(result.info.plural, item.uid) or {}
            result.report_at(index, item, [error_report(
                "E5000", result.info.klass, [ctx.identifier, ident], main_id=item.uid)], True,
                uid=item.uid, display_name=stored.get("displayName") or stored.get("name"))


def update_or_delete(ctx: Context, result: TypeResult, items: list[Item], deleting: bool = False) -> None:
    """UpdateCheck: E5001 with errorProperty `id` and the payload's uid as mainId; DeletionCheck:
    no errorProperty, mainId the uid of the preheat's object, which for a missing one is the
    payload object itself: `DefaultPreheatService#preheat` puts every payload object in the
    preheat as a placeholder (2.41.9 :238-243, 2.42.5 :239-244, 2.43.1 :241-246), so the
    `object.getId() == 0` branch of DeletionCheck#check (2.41.9, 2.42.5, 2.43.1) sets its uid
    (one generated for an object sent without id)."""
    for item in items:
        if not item.persisted:
            ident = identifiers_with_name(item.obj, result.info, ctx.identifier)
            result.report(item, [error_report(
                "E5001", result.info.klass, [ctx.identifier, ident],
                main_id=item.uid, error_property=None if deleting else "id")], True)


# DefaultSchemaValidator.BCRYPT_PATTERN, matched whole (`matcher(value).matches()`): only the
# `$2$` and `$2a$` prefixes (2.41.9 :61-62, 2.42.5 and 2.43.1 :63-64)
_BCRYPT = re.compile(r"\$2a?\$\d\d\$[./0-9A-Za-z]{53}", re.ASCII)  # Java's `\d` is ASCII
# Character.isWhitespace (behind StringUtils.isBlank) leaves out the no-break spaces, and
# U+0085 (a control character to Java, white space to Python's str.isspace).
_NOT_JAVA_WHITESPACE = "\u00a0\u2007\u202f\x85"
_JAVA_LINE_TERMINATORS = "\n\r\x85\u2028\u2029"  # what java.util.regex's `.` never matches
_JAVA_TRIM = "".join(chr(c) for c in range(0x21))  # String#trim
_RESERVED = ("user", "admin", "system", "administrator", "username", "password", "login", "manager")


def _java_has(password: str, chars: str) -> bool:
    """`Pattern.compile(".*[chars].*").matcher(password).matches()` (`DigitPatternValidationRule`
    `.*\\d.*` with Java's ASCII `\\d`, `UpperCasePatternValidationRule`, 2.42+
    `LowerCasePatternValidationRule`, `SpecialCharacterValidationRule`; 2.41.9 :36-40, 2.42.5
    :38-42, 2.43.1 :40-44): Java's `.` is no line terminator, so a password holding one matches
    none of them."""
    return not any(c in _JAVA_LINE_TERMINATORS for c in password) and \
        re.search(f"[{chars}]", password) is not None


def password_problem(password: str, minor: str) -> str | None:
    """`DefaultSchemaValidator#isInvalidPassword`: a value that is not a bcrypt hash must pass
    `DefaultPasswordValidationService` for `CredentialsInfo("USERNAME", value, "", true)`:
    mandatory (`PasswordMandatoryValidationRule`: commons-lang `isBlank`), length 8–72
    (system settings minPasswordLength / maxPasswordLength), a digit, an upper case letter,
    (2.42+) a lower case letter, a special character, no reserved word, not the username;
    the first failing rule's message (`user/PasswordValidationError.java`)."""
    if _BCRYPT.fullmatch(password):
        return None
    # PasswordLengthValidationRule: `getPassword().trim().length()`, String#trim (every char up
    # to U+0020, no other white space) and UTF-16 units (a character outside the BMP counts two)
    trimmed = password.strip(_JAVA_TRIM)
    if all(c.isspace() and c not in _NOT_JAVA_WHITESPACE for c in password):
        return "Username or Password is missing"
    release = RELEASES.get(minor) or RELEASES[DEFAULT_MINOR]
    checks: list[tuple[bool, str]] = [
        (8 <= _java_length(trimmed) <= 72,
         "Password must have at least 8, and at most 72 characters"),
        (_java_has(password, "0-9"), "Password must have at least one digit"),
        (_java_has(password, "A-Z"), "Password must have at least one upper case"),
    ]
    if release.password_requires_lower_case:
        checks.append((_java_has(password, "a-z"), "Password must have at least one lower case"))
    checks += [
        (_java_has(password, "^A-Za-z0-9"), "Password must have at least one special character"),
        # PasswordDictionaryValidationRule / UserParameterValidationRule: containsIgnoreCase,
        # simple case mappings char by char (`ADMİN` holds `admin`)
        (not any(contains_ignore_case(password, w) for w in _RESERVED),
         "Password must not have any generic word"),
        (not contains_ignore_case(password, "USERNAME"),
         "Username/Email must not be a part of password"),
    ]
    return next((message for passed, message in checks if not passed), None)


def schema_property_order(singular: str, minor: str) -> list[tuple[str, dict[str, Any]]]:
    """The release's properties in `Schema#getProperties` order: a list of the values of its
    property map (2.41.9 :477-478, 2.42.5 :479-480, 2.43.1 :438-439), a HashMap copy of the
    introspected properties keyed by `Property#key` (the JSON name;
    DefaultSchemaService#handleContextRefresh's `Maps.newHashMap`, 2.41.9 :397-398, 2.42.5
    :392-393, 2.43.1 :382-383), so in that map's
    bucket order. The copy is sized before `#updateSelf` removes the `__schema__` entry that
    JacksonPropertyIntrospector#introspect puts for a class with a root annotation (2.41.9
    :106, 2.42.5 and 2.43.1 :108): such a class has one more entry then (a constant's 23
    properties in 64 buckets on the JDK 17 of 2.41/2.42, in 32 on 2.43's JDK 21: the copy's
    pre-sizing, `Release.jdk_major`). Within a bucket the introspection's insertion order is
    not modelled: the registry's order stands in for it."""
    every = registry.jackson_properties(singular, minor)
    info = registry.by_singular(singular, minor)
    size = len(every) + (1 if info is not None and info.root_element else 0)
    capacity = java_hash.map_copy_capacity(size, RELEASES[minor].jdk_major)
    names = java_hash.hash_set_order(list(every), capacity=capacity)
    return [(name, every[name]) for name in names]


def schema_errors(ctx: Context, info: TypeInfo, obj: dict[str, Any]) -> list[dict[str, Any]]:
    """DefaultSchemaValidator#validate over every persisted property of the release's schema,
    in `Schema#getProperties` order (`schema_property_order`; 2.41.9 :102, 2.42.5 and 2.43.1
    :104), so the errors of an object come in its property map's bucket order
    (`registry.jackson_properties`: required, length, min/max and the property type as the
    introspectors read them from the tag's mappings and annotations, for every registered
    type, not only those with facts). The string checks are for a `java.lang.String` property
    (`#validateString`: `instanceof String`; an enum or a date is no String once read)."""
    errors: list[dict[str, Any]] = []
    for name, prop in schema_property_order(info.singular, ctx.minor):
        if not prop.get("persisted") or name in objects.SERVER_FIELDS:
            continue
        label = registry.schema_name(name, prop)
        value = obj.get(name)
        if value is None:
            if registry.required_for_e4000(prop, given_null=name in obj):
                errors.append(error_report("E4000", info.klass, [label],
                                           error_klass=prop.get("klass"), error_property=label))
            continue
        if isinstance(value, str) and value and prop.get("propertyType") == "PASSWORD":
            problem = password_problem(value, ctx.minor)
            if problem:
                errors.append(error_report("E4005", info.klass, [label, problem],
                                           error_klass=prop.get("klass"), error_property=label))
            continue
        if not isinstance(value, str) or value == "" or prop.get("klass") != "java.lang.String":
            continue
        length, low, high = prop.get("length"), prop.get("min"), prop.get("max")
        size = _java_length(value)
        if isinstance(length, int | float) and size > length:
            # Property#getLength is an Integer: `args` its toString, the message
            # MessageFormat's grouped number, `errorProperties` the number itself
            numbers = [int(length), size]
            errors.append(error_report(
                "E4001", info.klass, [label, *numbers], properties=[label, *numbers],
                message_args=[label, *map(java_double.message_format, numbers)],
                error_klass=prop.get("klass"), error_property=label))
            continue
        if isinstance(low, int | float) and isinstance(high, int | float) and \
                not low <= size <= high:
            # getMin/getMax are Doubles (toString `1.0`, MessageFormat `1`), the length an int
            limits = [JavaDouble(low), JavaDouble(high)]
            errors.append(error_report(
                "E4002", info.klass,
                [label, *map(java_double.to_string, limits), size],
                properties=[label, *limits, size],
                message_args=[label, *map(java_double.message_format, [*limits, size])],
                error_klass=prop.get("klass"), error_property=label))
        kind = prop.get("propertyType")
        if kind == "EMAIL" and not email_address.is_valid(value):
            errors.append(error_report("E4003", info.klass, [label, value],
                                       error_klass=prop.get("klass"), error_property=label))
        elif kind == "URL" and not value.startswith(("http://", "https://")):
            errors.append(error_report("E4004", info.klass, [label, value],
                                       error_klass=prop.get("klass"), error_property=label))
        elif kind == "COLOR" and not _HEX.fullmatch(value):
            errors.append(error_report("E4006", info.klass, [label, value],
                                       error_klass=prop.get("klass"), error_property=label))
    return errors


def schema(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    for item in items:
        errors = schema_errors(ctx, result.info, item.obj)
        if errors:
            result.report(item, errors, True)


_NO_CODE_NPE = ('Cannot invoke "String.equals(Object)" because the return value of '
                '"org.hisp.dhis.preheat.PreheatIdentifier.getIdentifier('
                'org.hisp.dhis.common.IdentifiableObject)" is null')


def uniqueness(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    """UniquenessCheck: the persisted, owner, unique, simple properties of the release's schema
    (`registry.jackson_properties`, every registered type: a unique column of its mapping)."""
    info = result.info
    # an object's E5003s come in Schema#getProperties order (`schema_property_order`)
    unique = [n for n, p in schema_property_order(info.singular, ctx.minor)
              if p.get("persisted") and p.get("owner") and p.get("unique") and p.get("simple")]
    if not unique:
        return
    for name in unique:
        key = (info.plural, name)
        if key not in ctx.uniqueness:  # preheat: values already stored
            values: dict[Any, str | None] = {}
            for stored in ctx.store.list_objects(info.plural):
                if stored.get(name) is not None:
                    ident = stored.get("code") if ctx.identifier == "CODE" else stored["id"]
                    values.setdefault(stored[name], ident)
            ctx.uniqueness[key] = values
    for item in items:
        if item.uid in DEFAULT_UIDS:
            continue
        errors = []
        me = item.obj.get("code") if ctx.identifier == "CODE" else item.uid
        for name in unique:
            value = item.obj.get(name)
            if value is None or isinstance(value, dict | list):
                continue
            owner = ctx.uniqueness[(info.plural, name)].get(value)
            if owner is None:
                ctx.uniqueness[(info.plural, name)][value] = me
            elif me is None:
                # `identifier.getIdentifier(object).equals(objectIdentifier)` (UniquenessCheck
                # 2.41.9 :130, 2.42.5 / 2.43.1 :132): under CODE an object without a code whose
                # value another object holds is a NullPointerException that ends the import
                raise webmessage.UncaughtException(
                    ctx.release.metadata_validation_failure_message or _NO_CODE_NPE)
            elif owner != me:
                errors.append(error_report(
                    "E5003", info.klass,
                    [name, value, identifiers_with_name(item.obj, info, ctx.identifier), owner],
                    main_id=owner, error_property=name))
        if errors:
            result.report(item, errors, True)


def unique_multi_properties(result: TypeResult, items: list[Item]) -> None:
    """UniqueMultiPropertiesCheck (2.41.9 = 2.42.5 = 2.43.1): only ProgramRuleVariable declares
    properties unique together (`ProgramRuleVariableSchemaDescriptor`: name and program uid).
    NEW objects sharing those values each get E5005, whose first arg joins the shared VALUES
    and second the objects' uids; a removal check. The program uid is the reference's as
    Jackson read it (references are connected only at commit): one named by code alone has
    none, which `String.join` writes "null". A variable without program or name never gets
    here: the hooks check ended the import in a NullPointerException."""
    if result.info.singular != "programRuleVariable":
        return
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        program = item.obj.get("program")
        if isinstance(program, dict):
            key = (str(item.obj.get("name")), str(program.get("id") or "null"))
            groups.setdefault(key, []).append(item)
    for key, members in groups.items():
        if len(members) > 1:
            uids = ", ".join(m.uid for m in members)
            for member in members:
                result.report(member, [error_report("E5005", result.info.klass,
                                                    [", ".join(key), uids])], True)


def _guessed_reference_props(obj: dict[str, Any], minor: str) -> dict[str, dict[str, Any]]:
    """For types without schema facts: a key named like a metadata type (singular for one
    reference, plural for a collection) whose values are `{id}` objects is a reference."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in obj.items():
        if key in ("createdBy", "lastUpdatedBy", "user", "sharing"):
            continue
        if isinstance(value, dict) and set(value) <= {"id", "code", "name", "displayName"}:
            target = registry.by_singular(key, minor)
            if target and target.metadata:
                out[key] = {"persisted": True, "owner": True, "propertyType": "REFERENCE",
                            "klass": target.klass}
        elif isinstance(value, list) and value and all(
                isinstance(v, dict) and set(v) <= {"id", "code", "name", "displayName"}
                for v in value):
            target = registry.by_plural(key, minor)
            if target and target.metadata:
                out[key] = {"persisted": True, "owner": True, "collection": True,
                            "propertyType": "COLLECTION", "itemPropertyType": "REFERENCE",
                            "itemKlass": target.klass, "schemaName": target.singular}
    return out


def _reference_shape(target: TypeInfo) -> reference_hash.Shape | None:
    """What equals/hashCode of the target class read (`reference_hash.py`); None where not
    modelled (a class with its own hashCode, such as DataElementOperand)."""
    return reference_hash.shape(target.klass, target.hash_code_owner)


def _as_hash_set(refs: list[Any], of: reference_hash.Shape) -> list[Any]:
    """A Set-typed reference collection as Jackson reads it into a HashSet: references equal by
    the target class's equals (uid, code and name; a nameable class's shortName and
    description too) collapse into one, so a repeat is neither a second E5002 nor an E5007,
    and ReferencesCheck#checkCollection walks them in bucket order of the class's hashCode."""
    objects = [ref for ref in refs if isinstance(ref, dict)]
    return java_hash.hash_set_order(objects, hash_code=lambda ref: reference_hash.hash_code(
        ref, of), key=lambda ref: reference_hash.identity(ref, of))


def _reference_named(ref: dict[str, Any], target: TypeInfo, in_collection: bool,
                     identifier: str) -> str:
    """PreheatIdentifier#getIdentifiersWithName of the reference as Jackson read it: a user's
    name is User#getName, derived from its first name and surname (`reference_hash.py`)."""
    if target.klass == registry.USER_CLASS:
        ref = {**ref, "displayName": None,
               "name": reference_hash.user_reference_name(ref, in_collection)}
    return identifiers_with_name(ref, target, identifier)


def _ref_errors(ctx: Context, info: TypeInfo, obj: dict[str, Any], main: dict[str, Any],
                main_info: TypeInfo) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    # the release's schema (`registry.jackson_properties`) for a type without facts: its
    # persisted owner references are checked, its inverse ones (an indicator's
    # indicatorGroups) are not, whatever their JSON names; a guess only without a schema
    props = registry.properties(info.singular, ctx.minor) if info.has_facts else \
        registry.jackson_properties(info.singular, ctx.minor) or \
        _guessed_reference_props(obj, ctx.minor)
    if info.has_facts:
        # the release's own combo references (2.43.1 Program#enrollmentCategoryCombo) are
        # checked as the class's other references: an unknown one is an E5002
        props = {**props, **registry.release_combo_references(info.singular, ctx.minor)}
    for name, prop in props.items():
        if not (prop.get("persisted") and prop.get("owner")):
            continue
        target = registry.reference_target(prop)
        if target is None or target.startswith("org.hisp.dhis.period."):
            continue
        value = obj.get(name)
        if value is None:
            continue
        label = registry.schema_name(name, prop)
        # Property#isEmbeddedObject: the item class is an EmbeddedObject (a MapView, though
        # 2.43.1 registers it as a schema of its own)
        if prop.get("embeddedObject") or registry.is_embedded_klass(target, ctx.minor):
            # ReferencesCheck#checkEmbeddedObject reports on the embedded object itself
            # (PreheatErrorReport: mainKlass, mainId and the second arg are the embedded one's).
            sub = registry.by_klass(target, ctx.minor)
            for embedded in value if isinstance(value, list) else [value]:
                if isinstance(embedded, dict) and sub is not None:
                    errors += _ref_errors(ctx, sub, embedded, embedded, sub)
            continue
        target_info = registry.by_klass(target, ctx.minor)
        if target_info is None:
            continue
        refs = value if isinstance(value, list) else [value]
        shape = _reference_shape(target_info)
        if isinstance(value, list) and prop.get("klass") == "java.util.Set" and shape:
            refs = _as_hash_set(refs, shape)
        if target == registry.USER_CLASS and name in ("user", "createdBy", "lastUpdatedBy"):
            continue
        # PreheatErrorReport#setErrorKlass(property.getItemKlass()): only collections have an
        # item class (JacksonPropertyIntrospector#initCollectionProperty), so a single
        # reference's report carries no errorKlass.
        error_klass = target if isinstance(value, list) else None

        for ref in refs:
            if not isinstance(ref, dict):
                continue
            # #checkCollection skips a default before both checks, #checkReference only
            # before E5002.
            default = _is_default(ref, target)
            if default and isinstance(value, list):
                continue
            found = ctx.resolve(target_info.plural, ref)
            code = None
            if found is None and not default:
                code = "E5002"
            elif found is not None and acl.is_shareable(target_info.plural, ctx.minor) and \
                    not acl.can_read(ctx.user, target_info.plural, found, ctx.minor):
                # E5008: the preheat holds it but the importing user cannot read it
                # (DefaultAclService#canRead; a superuser reads everything).
                code = "E5008"
            if code:
                errors.append(error_report(
                    code, main_info.klass,
                    [_reference_named(ref, target_info, isinstance(value, list), ctx.identifier),
                     identifiers_with_name(main, main_info, ctx.identifier), label],
                    main_id=main.get("id"), error_klass=error_klass, error_property=label))
        if isinstance(value, list):
            for ref in _duplicates(refs, shape):
                errors.append(error_report(
                    "E5007", main_info.klass,
                    [_reference_named(ref, target_info, isinstance(value, list), ctx.identifier),
                     identifiers_with_name(main, main_info, ctx.identifier), label],
                    main_id=main.get("id"), error_klass=error_klass, error_property=label))
    return errors


def _duplicates(refs: list[Any], shape: reference_hash.Shape | None) -> list[dict[str, Any]]:
    """CollectionUtils#findDuplicates over the whole collection, defaults included (2.41.9
    dhis-support-commons, 2.42.5/2.43.1 dhis-api `common/collection/CollectionUtils.java`
    :320 / :369): each reference equal by the target class's equals to an earlier one goes
    into a HashSet, so a value given three times is one E5007, and the reports follow that
    set's bucket order. A class whose equals and hashCode are not modelled (`shape` None) is
    compared by its id or code, in payload order."""
    seen: set[Any] = set()
    repeated: dict[Any, dict[str, Any]] = {}
    for ref in refs:
        if isinstance(ref, dict):
            key: Any = str(ref.get("id") or ref.get("code")) if shape is None else \
                reference_hash.identity(ref, shape)
            if key in seen:
                repeated.setdefault(key, ref)
            seen.add(key)
    return list(repeated.values()) if shape is None else \
        _as_hash_set(list(repeated.values()), shape)


def _attribute_value_errors(ctx: Context, info: TypeInfo, obj: dict[str, Any]
                            ) -> list[dict[str, Any]]:
    """ReferencesCheck#checkAttributeValues: the object is named with the import's identifier;
    the attribute per release (`metadata_attribute_values_by_uid`): 2.42.5/2.43.1 each id of
    the TreeMap once, 2.41.9 the HashSet of AttributeValue (2.41.9 ReferencesCheck :258-278)."""
    errors: list[dict[str, Any]] = []
    me = identifiers_with_name(obj, info, ctx.identifier)
    given: list[dict[str, Any]] = [
        av["attribute"] for av in obj.get("attributeValues") or []
        if isinstance(av, dict) and isinstance(av.get("attribute"), dict)]
    attributes = registry.by_plural("attributes", ctx.minor)
    if ctx.release.metadata_attribute_values_by_uid:
        # LazyAttributeValues keys the values by attribute id in a TreeMap.
        for uid in sorted({a["id"] for a in given if a.get("id")}):
            if ctx.identifier == "CODE":
                found = _uids_preheated_by_code(ctx) and \
                    ctx.store.get_object("attributes", uid) is not None
            else:
                found = ctx.resolve("attributes", {"id": uid}) is not None
            if not found:
                errors.append(error_report("E5002", info.klass, [uid, me, "attributeValues"]))
        return errors
    # 2.41.9 walks the object's HashSet of AttributeValue (`getAttributeValues().stream()`,
    # :258-278): one of equal values, in bucket order, a repeated attribute with another value
    # reported again.
    values = [av for av in obj.get("attributeValues") or []
              if isinstance(av, dict) and isinstance(av.get("attribute"), dict)]
    for attribute in (av["attribute"] for av in attribute_value_set.value_set_order(values)):
        # Preheat#get(identifier, object) reads the one identifier: by CODE an attribute given
        # by id only has none, so it is not found.
        key = attribute.get("code") if ctx.identifier == "CODE" else attribute.get("id")
        if not key or ctx.resolve("attributes", attribute) is None:
            errors.append(error_report("E5002", info.klass, [
                identifiers_with_name(attribute, attributes, ctx.identifier), me,
                "attributeValues"]))
    return errors


_ONLY_UID = (registry.USER_CLASS, "org.hisp.dhis.user.UserGroup")


def _uids_preheated_by_code(ctx: Context) -> bool:
    """With `identifier=CODE`, `DefaultPreheatService#preheat` loads the references collected by
    UID (the attribute ids of attribute values among them) only when one of them is of an
    only-UID class (`#isOnlyUID`: User, UserGroup, e.g. `createdBy` or a sharing entry); and
    the payload's own objects go into the CODE map, which `Preheat#get(UID, …)` does not read.
    So on 2.42+ an attribute is found by an import by CODE only when it is stored and the
    payload refers to a user or user group somewhere."""
    if ctx.uid_preheat is None:
        ctx.uid_preheat = False
        for item in ctx.items:
            info = item.info
            # the release's schema for a type without facts (a constant's createdBy)
            props = registry.properties(info.singular, ctx.minor) if info.has_facts else \
                registry.jackson_properties(info.singular, ctx.minor)
            only_uid = [name for name, prop in props.items()
                        if prop.get("persisted") and prop.get("owner")
                        and registry.reference_target(prop) in _ONLY_UID]
            obj = item.obj
            given = obj.get("sharing")
            sharing: dict[str, Any] = given if isinstance(given, dict) else {}
            # #collectReferences also adds each payload object itself (#addIdentifiers): a
            # user or user group sent with its uid is a UID reference of an only-UID class
            itself = info.klass in _ONLY_UID and item.given_uid
            if itself or any(obj.get(name) for name in only_uid) or sharing.get("users") or \
                    sharing.get("userGroups"):
                ctx.uid_preheat = True
                return True
    return ctx.uid_preheat


def _persisted(ctx: Context, info: TypeInfo, name: str) -> bool:
    """`Schema#hasPersistedProperty`: the release's class maps the property."""
    return bool((registry.jackson_properties(info.singular, ctx.minor).get(name) or {})
                .get("persisted"))


def _sharing_and_attribute_errors(ctx: Context, info: TypeInfo, obj: dict[str, Any],
                                  skip_sharing: bool) -> list[dict[str, Any]]:
    """ReferencesCheck#checkReferences after the properties: the attribute values where the
    class persists `attributeValues`, then the sharing's user groups and users where it
    persists `sharing`, unless `skipSharing` (2.41.9 :132/:137, 2.42.5 :135/:140, 2.43.1
    :136/:141). Jackson binds both on
    every BaseIdentifiableObject, so an org unit's sharing or a category combo's attribute
    values are read and never checked."""
    errors = _attribute_value_errors(ctx, info, obj) \
        if _persisted(ctx, info, "attributeValues") else []
    me = identifiers_with_name(obj, info, "UID")
    sharing = obj.get("sharing")
    if skip_sharing or not isinstance(sharing, dict) or not _persisted(ctx, info, "sharing"):
        return errors
    for group in (sharing.get("userGroups") or {}).values():
        gid = (group or {}).get("id")
        # looked up by UID whatever the import's identifier: an import by CODE puts its own
        # user groups in the preheat's CODE map (Preheat#put; only User and UserRole are
        # always by UID, #effectiveIdentifier), so only a stored group is found then
        found = ctx.store.get_object("userGroups", gid) if ctx.identifier == "CODE" and gid \
            else ctx.resolve("userGroups", {"id": gid}) if gid else None
        if gid and found is None:
            errors.append(error_report("E5002", info.klass, [
                f"[{gid}] (UserGroup)", me, "userGroupAccesses"]))
    for access in (sharing.get("users") or {}).values():
        uid = (access or {}).get("id")
        if uid and ctx.resolve("users", {"id": uid}) is None:
            # UserAccess#getUser is a `new User()` with the uid alone: its display name is
            # User#getName, "null null" (2.41.9 User.java :700-702, 2.42.5 :724-728, 2.43.1
            # :726-730), which getIdentifiersWithName puts before the identifiers
            errors.append(error_report("E5002", info.klass, [
                f"null null [{uid}] (User)", me, "userAccesses"]))
    return errors


def references(ctx: Context, result: TypeResult, items: list[Item], atomic_all: bool,
               skip_sharing: bool) -> None:
    any_error = False
    for item in items:
        errors = _ref_errors(ctx, result.info, item.obj, item.obj, result.info)
        errors += _sharing_and_attribute_errors(ctx, result.info, item.obj, skip_sharing)
        if errors:
            any_error = True
            result.report(item, errors, False)
    if any_error and atomic_all:
        result.ignored += 1


def not_owner_references(ctx: Context, result: TypeResult, items: list[Item],
                         atomic_all: bool, report_mode: str) -> None:
    """NotOwnerReferencesCheck (2.41.9 = 2.42.5 = 2.43.1), for importReportMode
    ERRORS_NOT_OWNER only: a payload that writes the inverse side of an association (which the
    commit would not store) is refused reference by reference. Like ReferencesCheck it keeps
    the object and adds one ignored per type in atomicMode ALL. #checkReferences reads the
    object's schema whatever its type (an indicator's `indicatorGroups`, Indicator.hbm.xml
    `inverse="true"`), so the owner flags are the release's, as /api/schemas serves them
    (`registry.jackson_properties`): 2.43.1's JPA-mapped Program owns `userRoles`
    (`@ManyToMany @JoinTable`, HibernatePropertyIntrospector: owner = !isInverse), which
    Program.hbm.xml left inverse at 2.41.9 and 2.42.5."""
    info = result.info
    if report_mode != "ERRORS_NOT_OWNER":
        return
    props = registry.jackson_properties(info.singular, ctx.minor)
    persisted = [name for name, prop in props.items() if prop.get("persisted")]
    # Schema#getPersistedProperties is a HashMap by property key filled with every persisted
    # property: the checked ones come in its bucket order (2.41.9 :557, 2.42.5 :559,
    # 2.43.1 :507).
    order = java_hash.hash_set_order(persisted, capacity=java_hash.grown(
        java_hash.DEFAULT_CAPACITY, len(persisted)))
    inverse = {name: props[name] for name in order
               if not props[name].get("owner") and props[name].get("writable")
               and name != "user"
               and registry.reference_target(props[name]) not in (None, info.klass)}
    any_error = False
    for item in [i for i in items if i.persisted] + [i for i in items if not i.persisted]:
        errors = []
        me = identifiers_with_name(item.obj, info, ctx.identifier)
        for name, prop in inverse.items():
            value = item.obj.get(name)
            target_klass = registry.reference_target(prop)
            target = registry.by_klass(target_klass, ctx.minor)
            refs = value if isinstance(value, list) else [value]
            shape = _reference_shape(target) if target is not None else None
            if isinstance(value, list) and prop.get("klass") == "java.util.Set" and shape:
                # #checkCollection walks the getter's HashSet (DataElement.groups): a repeated
                # reference is one report, in the set's bucket order
                refs = _as_hash_set(refs, shape)
            for ref in refs:
                if isinstance(ref, dict):
                    # PreheatErrorReport(identifier, klass, code, args): no mainId, errorKlass
                    # or errorProperty; the name is the property's (collection) JSON name.
                    # the reference as Jackson read it: an org unit's `users` through
                    # UserPropertyTransformer, so a user is named "null null" (User#getName)
                    errors.append(error_report("E5006", info.klass, [
                        _reference_named(ref, target, isinstance(value, list), ctx.identifier)
                        if target is not None else identifiers_with_name(ref, target,
                                                                         ctx.identifier),
                        me, name]))
        if errors:
            any_error = True
            # `new ObjectReport(object, bundle)` without a display name: the report has one
            # only when an earlier check reported on the object
            result.report(item, errors, False, named=False)
    if any_error and atomic_all:
        result.ignored += 1


def uid_format(result: TypeResult, items: list[Item]) -> None:
    # UidFormatCheck#check walks the new objects only (2.41.9 = 2.42.5 = 2.43.1): a stored
    # object keeps whatever uid it has. #run names the object's class (getSimpleName) where
    # the message template says "property".
    info = result.info
    for item in items:
        if not objects.is_uid(item.uid):
            result.report(item, [error_report("E4014", info.klass, [item.uid, info.simple_name])],
                          True)


def _remove_equal_objects(items: list[Item]) -> None:
    """ValidationFactory#removeFromBundle (2.41.9 = 2.42.5 = 2.43.1): `List#removeAll` of the
    objects the chain marked compares by BaseIdentifiableObject#equals (class, uid, code and
    name), so an object equal to a refused one (a repeat's twin) leaves the bundle with it. A
    class with its own equals (`_OWN_EQUALS`) is not modelled: only the marked one goes."""
    marked = {_equality(i) for i in items if i.removed and i.info.klass not in _OWN_EQUALS}
    for item in items:
        if not item.removed and _equality(item) in marked:
            item.removed = True


_OWN_EQUALS = frozenset({registry.USER_CLASS, "org.hisp.dhis.dataelement.DataElementOperand"})


def _equality(item: Item) -> tuple[str, str, str | None, str | None]:
    code, name = item.obj.get("code"), item.obj.get("name")
    return (item.info.klass, item.uid, None if code is None else str(code),
            None if name is None else str(name))


def run(ctx: Context, info: TypeInfo, items: list[Item], strategy: str, atomic_all: bool,
        skip_sharing: bool, skip_validation: bool, report_mode: str = "ERRORS") -> TypeResult:
    """The validation chain for one type; then ValidationFactory#addStatistics. `skip_validation`:
    a superuser's skipValidation, which skips the whole chain (others' is not read)."""
    result = TypeResult(info)
    if not skip_validation:
        items = clean_defaults(info, items)
    persisted = [i for i in items if i.persisted]
    fresh = [i for i in items if not i.persisted]
    # ValidationCheck#selectObjectsBasedOnImportStrategy (2.41.9 :63-75, 2.42.5 and 2.43.1 :65-77):
    # CREATE_AND_UPDATE walks the persisted objects, then the new ones
    # (`ValidationUtils#joinObjects`): an updated object claims a unique value before a new one
    selected = {"CREATE": fresh, "UPDATE": persisted}.get(strategy, persisted + fresh)
    if skip_validation:
        pass  # DefaultObjectBundleValidationService#validate returns before any check
    elif strategy == "DELETE":
        oauth2_runtime_state(ctx, result, items)
        security(ctx, result, items, strategy, skip_sharing)
        update_or_delete(ctx, result, fresh, deleting=True)
    else:
        duplicate_ids(result, items)
        validation_hooks(ctx, result, selected)
        security(ctx, result, items, strategy, skip_sharing)
        if strategy == "CREATE":
            creation(ctx, result, persisted, len(items))
        elif strategy == "UPDATE":
            update_or_delete(ctx, result, fresh)
        schema(ctx, result, selected)
        uniqueness(ctx, result, selected)
        unique_multi_properties(result, fresh)
        attribute_rules.mandatory(ctx, result, selected)
        attribute_rules.unique(ctx, result, selected)
        references(ctx, result, items, atomic_all, skip_sharing)
        not_owner_references(ctx, result, items, atomic_all, report_mode)
        translations.check(ctx, result, selected)
        geojson_attributes.check(ctx, result, selected)
        attribute_values.check(ctx, result, selected)
        if strategy != "UPDATE":
            uid_format(result, fresh)
        dashboards.check(ctx, result, items, selected)
    _remove_equal_objects(items)
    kept_new = sum(1 for i in fresh if not i.removed)
    kept_old = sum(1 for i in persisted if not i.removed)
    if strategy == "CREATE_AND_UPDATE":
        result.created += kept_new
        result.updated += kept_old
    elif strategy == "CREATE":
        result.created += kept_new
    elif strategy == "UPDATE":
        result.updated += kept_old
    elif strategy == "DELETE":
        result.deleted += kept_old
    return result
