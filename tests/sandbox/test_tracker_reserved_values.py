"""TextPattern parsing and /api/trackedEntityAttributes/{uid}/generate|generateAndReserve|requiredValues."""

from __future__ import annotations

import re

import pytest

from scdi.sandbox.core import textpattern
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.contract import example, shape_differences
from tests.sandbox.tracker_fixture import Meta, get, install


@pytest.fixture
def env(fresh_sandbox: RunningSandbox) -> tuple[RunningSandbox, Meta]:
    return fresh_sandbox, install(fresh_sandbox)


def _attr(running: RunningSandbox, uid: str, pattern: str, generated: bool = True) -> None:
    running.store.put_object("trackedEntityAttributes", {
        "id": uid, "name": uid, "valueType": "TEXT", "unique": True, "generated": generated,
        "pattern": pattern})


def test_parse_segments():
    segments = textpattern.parse('"VN-" + ORG_UNIT_CODE(...) + "-" + CURRENT_DATE(yyyy) + RANDOM(X#x*)')
    assert [s[0] for s in segments] == ["TEXT", "ORG_UNIT_CODE", "TEXT", "CURRENT_DATE", "RANDOM"]
    assert textpattern.required_values(segments) == {"REQUIRED": ["ORG_UNIT_CODE"],
                                                     "OPTIONAL": ["RANDOM"]}
    for bad in ("", 'RANDOM(###) +', "RANDOM(abc)", 'SEQUENTIAL(X)', "NOPE(1)"):
        with pytest.raises(textpattern.PatternError):
            textpattern.parse(bad)


def test_required_values_matches_docs(env):
    running, _ = env
    _attr(running, "atrDocPat01", 'ORG_UNIT_CODE() + "-" + RANDOM(X)')
    r = get(running, "/api/trackedEntityAttributes/atrDocPat01/requiredValues")
    assert r.json() == example("reserved_values/requiredValues_response.json")


def test_generate_with_org_unit_code_and_random(env):
    running, _ = env
    _attr(running, "atrDocPat01", 'ORG_UNIT_CODE() + "-" + RANDOM(X)')
    missing = get(running, "/api/trackedEntityAttributes/atrDocPat01/generate")
    assert missing.status_code == 409 and missing.json()["message"] == "Missing required values: ORG_UNIT_CODE"
    r = get(running, "/api/trackedEntityAttributes/atrDocPat01/generate", ORG_UNIT_CODE="OSL")
    value = r.json()
    assert shape_differences(example("reserved_values/generate_response.json"), value) == []
    assert value["key"] == "OSL-RANDOM(X)" and re.fullmatch(r"OSL-[A-Z]", value["value"])
    assert value["expiryDate"][:10] > value["created"][:10]


def test_a_text_segment_keeps_its_escapes(env):
    # BaseMethodType#getParam: a TEXT segment's parameter is what its quotes enclose, escapes
    # and all, and DefaultTextPatternService#resolvePattern writes that parameter
    running, _ = env
    _attr(running, "atrEscPat02", '"A\\"" + SEQUENTIAL(#)')
    value = get(running, "/api/trackedEntityAttributes/atrEscPat02/generate").json()
    assert value["key"] == 'A\\"SEQUENTIAL(#)' and value["value"] == 'A\\"1'


def test_generate_and_reserve_sequential_never_repeats(env):
    running, _ = env
    _attr(running, "atrSeqPat01", '"TA_" + SEQUENTIAL(##)')
    first = get(running, "/api/trackedEntityAttributes/atrSeqPat01/generateAndReserve",
                numberToReserve=3).json()
    assert [v["value"] for v in first] == ["TA_01", "TA_02", "TA_03"]
    assert shape_differences(example("reserved_values/generateAndReserve_response.json")[0], first[0]) == []
    more = get(running, "/api/trackedEntityAttributes/atrSeqPat01/generateAndReserve",
               numberToReserve=2).json()
    assert [v["value"] for v in more] == ["TA_04", "TA_05"]


def test_random_values_are_distinct_and_exhaustion_is_409(env):
    running, _ = env
    _attr(running, "atrRndPat01", '"Q" + RANDOM(#)')
    got = get(running, "/api/trackedEntityAttributes/atrRndPat01/generateAndReserve",
              numberToReserve=10).json()
    assert len({v["value"] for v in got}) == 10
    # DefaultReservedValueService#checkIfEnoughValues counts the key's reserved values too
    r = get(running, "/api/trackedEntityAttributes/atrRndPat01/generate")
    assert r.status_code == 409
    assert r.json()["message"] == "Not enough values left to reserve 1 values."
    too_many = get(running, "/api/trackedEntityAttributes/atrRndPat01/generateAndReserve",
                   numberToReserve=11)
    assert too_many.status_code == 409
    assert too_many.json()["message"] == "Not enough values left to reserve 11 values."


def test_current_date_and_org_unit_code_format(env):
    running, _ = env
    _attr(running, "atrDatePat1", 'CURRENT_DATE(yyyy) + "/" + ORG_UNIT_CODE(..) + SEQUENTIAL(#)')
    value = get(running, "/api/trackedEntityAttributes/atrDatePat1/generate",
                ORG_UNIT_CODE="HANOI").json()["value"]
    assert re.fullmatch(r"\d{4}/HA1", value)


@pytest.mark.parametrize("number", ["0", "1001"])
def test_number_to_reserve_range(env, number):
    running, m = env
    r = get(running, f"/api/trackedEntityAttributes/{m.a_name}/generateAndReserve",
            numberToReserve=number)
    assert r.status_code == 400
    assert r.json()["message"] == "You can only reserve between 1 and 1000 values in a single request."


def test_attribute_without_pattern_and_unknown_attribute(env):
    running, m = env
    r = get(running, f"/api/trackedEntityAttributes/{m.a_name}/generate")
    assert r.status_code == 400 and r.json()["message"] == "Attribute does not contain pattern."
    unknown = get(running, "/api/trackedEntityAttributes/atrUnknown1/requiredValues")
    assert unknown.status_code == 404
    # WebMessageUtils#notFound(Class, String) builds the message without an ErrorCode
    assert unknown.json() == {
        "httpStatus": "Not Found", "httpStatusCode": 404, "status": "ERROR",
        "message": "TrackedEntityAttribute with id atrUnknown1 could not be found."}


def test_only_a_generated_attribute_has_a_text_pattern(env):
    # TrackedEntityAttributeObjectBundleHook#updateTextPattern sets the TextPattern of a
    # generated attribute only; without one the controller's 400
    running, _ = env
    _attr(running, "atrNotGen01", '"A" + SEQUENTIAL(##)', generated=False)
    for path in ("generate", "generateAndReserve", "requiredValues"):
        r = get(running, f"/api/trackedEntityAttributes/atrNotGen01/{path}")
        assert r.status_code == 400 and r.json()["message"] == "Attribute does not contain pattern."


def test_sequential_values_run_out_on_the_counter(env):
    # ValueGeneratorService#generateSequentialValues: the counter's next numbers, refused once one
    # reaches 10^width (ReserveValueException → 409); SEQUENTIAL has no values-left check
    running, _ = env
    _attr(running, "atrSeqOne01", '"S" + SEQUENTIAL(#)')
    path = "/api/trackedEntityAttributes/atrSeqOne01/generateAndReserve"
    refused = get(running, path, numberToReserve=10)
    assert refused.status_code == 409
    assert refused.json()["message"] == "Unable to reserve value, no new values available."
    _attr(running, "atrSeqTwo01", '"T" + SEQUENTIAL(#)')
    path = "/api/trackedEntityAttributes/atrSeqTwo01/generateAndReserve"
    assert [v["value"] for v in get(running, path, numberToReserve="0x9").json()] == [
        f"T{n}" for n in range(1, 10)]
    last = get(running, path)
    assert last.status_code == 409
    assert last.json()["message"] == "Unable to reserve value, no new values available."


def test_org_unit_code_formats_as_dhis2_formats_it(env):
    # DefaultTextPatternService#handleRequiredValue: TextPatternMethodUtils#formatText
    # (`(fmt)` looked for at the start) then StringMethodType#validateText; a refusal is a
    # TextPatternGenerationException, the controller's `error(…)`: 500. A blank value counts as
    # given (#getRequiredValues takes the parameter's first value).
    running, _ = env
    _attr(running, "atrOuEnd001", 'ORG_UNIT_CODE(..$) + "-" + RANDOM(####)')
    path = "/api/trackedEntityAttributes/atrOuEnd001/generate"
    assert get(running, path, ORG_UNIT_CODE="HA").json()["key"] == "HA-RANDOM(####)"
    for code in ("HANOI", "H", ""):
        r = get(running, path, ORG_UNIT_CODE=code)
        assert r.status_code == 500, r.text
        assert r.json()["message"] == f"Value is invalid: ORG_UNIT_CODE -> {code}"


def test_integer_parameters_are_bound_as_spring_binds_them(env):
    # `@RequestParam(defaultValue = …) Integer numberToReserve, expiration`: whitespace dropped,
    # hex decoded; a refusal is CrudControllerAdvice#methodArgumentTypeMismatchException's
    # "Value 'x' … For input string: "x"" (the NumberFormatException's message), no errorCode.
    running, _ = env
    _attr(running, "atrSeqInt01", '"N" + SEQUENTIAL(##)')
    path = "/api/trackedEntityAttributes/atrSeqInt01/generateAndReserve"
    assert len(get(running, path, numberToReserve=" 0x2", expiration="").json()) == 2
    for name in ("numberToReserve", "expiration"):
        r = get(running, path, **{name: "2.5"})
        assert r.status_code == 400
        assert r.json() == {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
                            "message": f"Value '2.5' is not valid for parameter {name}. "
                                       'For input string: "2.5"'}


def test_blank_integer_parameters_per_release(release_sandbox):
    # whitespace only: CustomNumberEditor(allowEmpty)'s null, which Spring 6 (2.42+) replaces by
    # the `defaultValue` and Spring 5.3 (2.41) keeps, so TrackedEntityAttributeController's
    # `reserve(id, numberToReserve, expiration)` unboxes it: the JDK's NullPointerException, 500
    version, running = release_sandbox
    running.reset()
    install(running)
    _attr(running, "atrSeqBlk01", '"N" + SEQUENTIAL(##)')
    path = "/api/trackedEntityAttributes/atrSeqBlk01"
    cases = [("/generateAndReserve", {"numberToReserve": " ", "expiration": "\t"}, "numberToReserve"),
             ("/generateAndReserve", {"expiration": "  "}, "expiration"),
             ("/generate", {"expiration": " "}, "expiration")]
    for suffix, params, first in cases:
        r = get(running, path + suffix, **params)
        if version == "2.41":
            assert (r.status_code, r.json()["message"]) == (
                500, f'Cannot invoke "java.lang.Integer.intValue()" because "{first}" is null')
        else:
            assert r.status_code == 200, (suffix, params, r.text)
    # both are bound before the method runs: a refusal of the second comes first
    r = get(running, path + "/generateAndReserve", numberToReserve=" ", expiration="x")
    assert (r.status_code, r.json()["message"]) == (
        400, "Value 'x' is not valid for parameter expiration. For input string: \"x\"")
    if version != "2.41":
        assert len(get(running, path + "/generateAndReserve", numberToReserve=" ").json()) == 1


def test_a_text_segment_keeps_its_escapes_in_the_value(env):
    # TextMethodType#getParam is the pattern's group, the text between the quotes as written:
    # DefaultTextPatternService#handleFixedValues puts `A\"B` into the key, backslash and all
    running, _ = env
    _attr(running, "atrEscPat01", '"A\\"B" + SEQUENTIAL(#)')
    value = get(running, "/api/trackedEntityAttributes/atrEscPat01/generate").json()["value"]
    assert value == 'A\\"B1'


def test_a_bare_random_key_counts_a_null_stored_value_on_2_41(release_sandbox):
    # HibernateReservedValueStore#getNumberOfUsedValues: for the key `%` 2.41.9 and 2.43.1 count
    # every stored value of the attribute (`count(*)`), 2.42.5 those `LIKE '%'` matches, no
    # null one; a new null attribute value is only saved on 2.41.9 and 2.42.5
    from scdi.upstream.releases import RELEASES
    from tests.sandbox.tracker_fixture import post, te

    version, running = release_sandbox
    running.reset()
    m = install(running)
    release = RELEASES[version]
    assert release.reserved_values_bare_key_counts_every_value == (version != "2.42")
    attr = running.store.get_object("trackedEntityAttributes", m.a_gen)
    running.store.put_object("trackedEntityAttributes", {**attr, "pattern": "RANDOM(#)"})
    person = te(m, attributes={m.a_name: "Le Van C", m.a_gen: None})
    assert post(running, {"trackedEntities": [person]}).status_code == 200
    r = get(running, f"/api/trackedEntityAttributes/{m.a_gen}/generateAndReserve",
            numberToReserve=10)
    if version == "2.41":
        assert r.status_code == 409, r.text
        assert r.json()["message"] == "Not enough values left to reserve 10 values."
    else:
        assert r.status_code == 200, r.text
        assert len({v["value"] for v in r.json()}) == 10


def test_current_date_is_formatted_as_simple_date_format_formats_it(env):
    # DefaultTextPatternService#handleFixedValues: `new SimpleDateFormat(format).format(now)`,
    # quoted text and names too; a letter it has no field for is its IllegalArgumentException,
    # CrudControllerAdvice's 400
    from datetime import UTC, datetime

    running, _ = env
    _attr(running, "atrDateFmt1", "CURRENT_DATE('Y'yy-MMM-d) + SEQUENTIAL(#)")
    value = get(running, "/api/trackedEntityAttributes/atrDateFmt1/generate").json()["value"]
    now = datetime.now(UTC)
    assert value == f"Y{now:%y}-{now:%b}-{now.day}1"
    _attr(running, "atrDateBad1", "CURRENT_DATE(yyyyb) + SEQUENTIAL(#)")
    r = get(running, "/api/trackedEntityAttributes/atrDateBad1/generate")
    assert r.status_code == 400
    assert r.json()["message"] == "Illegal pattern character 'b'"
    assert "errorCode" not in r.json()
