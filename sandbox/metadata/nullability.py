"""Hibernate's not-null check on commit, the one check a superuser's `skipValidation` leaves.

dhis2-core 2.41.9, 2.42.5 and 2.43.1 (Hibernate 5.6.15, no Bean Validation provider, so
`hibernate.check_nullability` keeps its default, true), paths under `dhis-2/`:
- `dhis-services/dhis-service-dxf2/.../objectbundle/DefaultObjectBundleService.java#handleCreates`
  (`session.save(object)` 2.41.9 :229, 2.42.5 :228, 2.43.1 :266; the flush after the stage
  :247, :246, :284) calls `session.save(object)` inside
  `JobProgress#runStage`; Hibernate queues the insert, then `AbstractEntityInsertAction
  #makeEntityManaged` runs `Nullability#checkNullability` and throws a PropertyValueException
  "not-null property references a null or transient value : <class>.<property>" for the first
  property of the mapping, in persister order, that is not-null and null. The stage catches
  it (2.41.9 `NoopJobProgress` goes on with the next objects, 2.42.5/2.43.1
  `RecordingJobProgress.transitory()` aborts the stage), but the queued insert stays, and the
  `session.flush()` after the stage throws the same exception again, for the first such object
  of the type. Updates (`#handleUpdates`) fail the same way at that flush, after the type's
  creates.
- The flush is a JPA-bootstrapped session's (`config/HibernateConfig.java`,
  `LocalContainerEntityManagerFactoryBean`), so `SessionImpl#doFlush` hands the exception to
  `ExceptionConverterImpl#convert`, which wraps a PropertyValueException as
  `new PersistenceException(cause)`: its message is the cause's `toString()`,
  "org.hibernate.PropertyValueException: not-null property …" (as the comment in
  `dhis-test-web-api/pom.xml`, 2.41.9 :411-412, quotes it). That leaves `@Transactional`
  `DefaultMetadataImportService#importMetadata`, so the whole import is rolled back, and
  `webapi/controller/CrudControllerAdvice#persistenceExceptionHandler` (2.41.9 :428-433,
  2.42.5 :436-441, 2.43.1 :437-442) answers `conflict(getHelpfulMessage(ex))`: the cause has no
  cause of its own, so the wrapper's message; 409 ERROR, no errorCode.

The not-null properties are `data/not_null/<tag>.json` (`scripts/not_null_columns.py`, from the
`*.hbm.xml` of each tag). Checked for every registered type, where the release's properties
(`registry.jackson_properties`) tell that the Java field can be null (no primitive, no
initialiser; a default-class reference is set by the preheat); a not-null property that is no
schema property is not checked, nor are the types a tag maps with JPA annotations (2.43.1's
categoryCombo, categoryOption, dashboard, …), whose commit-time nullability (and persister
order) the generator does not read.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from scdi.sandbox.metadata import registry
from scdi.sandbox.metadata.registry import TypeInfo
from scdi.upstream.releases import RELEASES

MESSAGE = ("org.hibernate.PropertyValueException: not-null property references a null or "
           "transient value : {klass}.{name}")


@cache
def _not_null(tag: str) -> dict[str, Any]:
    path = resources.files("scdi.sandbox").joinpath("data", "not_null", f"{tag}.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["types"]
    return data


def _nullable_in_java(fact: dict[str, Any]) -> bool:
    if fact.get("javaPrimitive") or fact.get("klass") in registry.DEFAULT_CLASSES:
        return False
    if "javaFieldInitialised" in fact:  # the release's generated properties
        return not fact["javaFieldInitialised"]
    return fact.get("javaFieldInitializer") in (None, "null")


@cache
def _checked(singular: str, minor: str) -> tuple[tuple[str, str], ...]:
    """(Hibernate property, JSON key) of the not-null properties a null can reach."""
    # the tag the release's schema registry was read from
    entry = _not_null(RELEASES[minor].schema_registry).get(singular)
    if entry is None:
        return ()
    facts = registry.jackson_properties(singular, minor)
    by_field = {str(prop.get("fieldName") or key): key
                for key, prop in registry.jackson_properties(singular, minor).items()}
    out = []
    for name in entry["notNull"]:
        key = by_field.get(name)
        if key is not None and key in facts and _nullable_in_java(facts[key]):
            out.append((name, key))
    return tuple(out)


def violation(info: TypeInfo, doc: dict[str, Any], minor: str) -> str | None:
    """The PropertyValueException message the commit of `doc` ends in, else None."""
    for name, key in _checked(info.singular, minor):
        if doc.get(key) is None:
            return MESSAGE.format(klass=info.klass, name=name)
    return None
