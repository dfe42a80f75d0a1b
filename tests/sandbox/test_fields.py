"""`fields` transformers over HTTP (sandbox/core/fields.py; dhis2-core
fieldfiltering/FieldFilterParser.java, FieldFilterService#getTransformers/#applyTransformers,
fieldfiltering/transformers/*; the same at 2.41.9, 2.42.5 and 2.43.1)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.sandbox.helpers import ADMIN, post_metadata

COMBO = "bjDvmb4bfuf"


def get(url: str, path: str, fields: str) -> dict[str, Any]:
    response = requests.get(f"{url}{path}", params={"fields": fields}, auth=ADMIN, timeout=10)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def test_size_is_empty_and_rename(fresh_sandbox):
    url = fresh_sandbox.url
    body = get(url, f"/api/categoryCombos/{COMBO}",
               "id,categories::size,name~rename(label),code::size,categoryOptionCombos::isEmpty,"
               "shortName")
    assert body == {"id": COMBO, "categories": 1, "code": 7, "categoryOptionCombos": False,
                    "label": "default"}
    assert list(body)[-1] == "label"  # rename writes the field again, last
    body = get(url, f"/api/categoryCombos/{COMBO}",
               "categories|isNotEmpty~rename(hasCategories),categoryOptionCombos::size")
    assert body == {"categoryOptionCombos": 1, "hasCategories": True}


def _post_category(url: str, uid: str, name: str, options: list[tuple[str, str, str]]) -> None:
    """A disaggregation category of the options (id, name and short name, code)."""
    post_metadata(url, {
        "categoryOptions": [{"id": o, "name": n, "shortName": n, "code": c} for o, n, c in options],
        "categories": [{"id": uid, "name": name, "shortName": name,
                        "dataDimensionType": "DISAGGREGATION",
                        "categoryOptions": [{"id": o} for o, _n, _c in options]}]})


def test_pluck_and_key_by(fresh_sandbox):
    url = fresh_sandbox.url
    _post_category(url, "CatPluck001", "Đếm",
                   [("OptPluck001", "Một", "MOT"), ("OptPluck002", "Hai", "HAI")])
    body = get(url, "/api/categories/CatPluck001",
               "categoryOptions~pluck[id],opts:categoryOptions")
    assert body["categoryOptions"] == ["OptPluck001", "OptPluck002"]
    body = get(url, "/api/categories/CatPluck001", "categoryOptions~pluck(code)[code,name]")
    assert body["categoryOptions"] == ["MOT", "HAI"]
    body = get(url, "/api/categories/CatPluck001", "categoryOptions~keyBy(code)[code,name]")
    assert body["categoryOptions"] == {"MOT": {"code": "MOT", "name": "Một"},
                                       "HAI": {"code": "HAI", "name": "Hai"}}
    body = get(url, "/api/categories", "id,categoryOptions~keyBy[id]")
    found = {c["id"]: c["categoryOptions"] for c in body["categories"]}
    assert found["CatPluck001"] == {"OptPluck001": {"id": "OptPluck001"},
                                    "OptPluck002": {"id": "OptPluck002"}}


def test_transformers_chained_after_a_parameter_list(fresh_sandbox):
    # FieldFilterParser#expandField leaves the transformer loop at a parameter list's `)` and
    # reads on: a further `~` adds to the same field. FieldFilterService#getTransformers sorts
    # them (rename's getOrder 10 last); each runs on the field's original node, rename moves
    # whatever the parent then holds.
    url = fresh_sandbox.url
    assert get(url, f"/api/categoryCombos/{COMBO}", "id~rename(x)~size") == {"x": 11}
    assert get(url, f"/api/categoryCombos/{COMBO}", "name~rename(n)::size,code") == {
        "code": "default", "n": 7}
    post_metadata(url, {"categoryOptions": [
        {"id": "OptChain001", "name": "Ba", "shortName": "Ba", "code": "BA"},
        {"id": "OptChain002", "name": "Bốn", "shortName": "Bốn", "code": "BON"}],
        "categories": [{"id": "CatChain001", "name": "Chuỗi", "shortName": "Chuỗi",
                        "dataDimensionType": "DISAGGREGATION",
                        "categoryOptions": [{"id": "OptChain001"}, {"id": "OptChain002"}]}]})
    # pluck replaces the field, then keyBy (default `id`) keys the original items
    body = get(url, "/api/categories/CatChain001", "categoryOptions~pluck(code)~keyBy[id,code]")
    assert body["categoryOptions"] == {"OptChain001": {"id": "OptChain001", "code": "BA"},
                                       "OptChain002": {"id": "OptChain002", "code": "BON"}}
    # an empty parameter is parameter 0 all the same: no item has the field "", all kept
    body = get(url, "/api/categories/CatChain001", "categoryOptions~pluck()[id]")
    assert body["categoryOptions"] == [{"id": "OptChain001"}, {"id": "OptChain002"}]
    # letters after the `)` go on the field's name: `namex`, which no object has
    assert get(url, "/api/categories/CatChain001", "id,name~rename(n)x") == {"id": "CatChain001"}


def test_unknown_transformer_and_transformer_after_a_block_are_ignored(fresh_sandbox):
    url = fresh_sandbox.url
    body = get(url, f"/api/categoryCombos/{COMBO}", "name~shout,categories[id]~size")
    assert body == {"name": "default", "categories": [{"id": "GLevLNI9wkl"}]}


def test_transformer_text_keeps_letters_digits_and_the_special_characters(fresh_sandbox):
    # FieldFilterParser#expandField builds a transformer's name and parameters only from
    # characters #isAlphanumericOrSpecial accepts; any other (`_`, `-`, space) is skipped.
    url = fresh_sandbox.url
    body = get(url, f"/api/categoryCombos/{COMBO}",
               "id~rename(combo_id),name~rename(tên hiển-thị),code~is_Empty~si-ze")
    assert body == {"code": 7, "comboid": COMBO, "tênhiểnthị": "default"}


def test_id_name_id_and_code_are_no_presets(fresh_sandbox):
    # FieldPathHelper#applyPresets expands all, owner, persisted, identifiable, simple and
    # nameable only; idName, id and code are field lists (idName the list default), so written
    # as `:idName` they select nothing (2.41.9, 2.42.5 and 2.43.1).
    url = fresh_sandbox.url
    for preset in (":idName", ":id", ":code"):
        body = get(url, "/api/categoryCombos", preset)
        assert body["categoryCombos"] and all(c == {} for c in body["categoryCombos"]), preset
    body = get(url, "/api/categoryCombos", ":idName,name")
    assert {"name": "default"} in body["categoryCombos"]
    default = requests.get(f"{url}/api/categoryCombos", auth=ADMIN, timeout=10).json()
    assert {"id": COMBO, "displayName": "default"} in default["categoryCombos"]


def test_transformers_follow_javas_characters(fresh_sandbox):
    # isAlphanumericOrSpecial is Character#isLetterOrDigit of each UTF-16 unit: `²` (no decimal
    # digit) and `𝐀` (beyond the BMP) are skipped; SizeFieldTransformer counts String#length
    # (UTF-16 units); KeyByFieldTransformer keys only a text with a non-white-space character
    # (Spring StringUtils#hasText), and a no-break space is none of Java's white space
    url = fresh_sandbox.url
    _post_category(url, "CatJava0001", "Cây",
                   [("OptJava0001", "Lá 🌿", " "), ("OptJava0002", "Hoa", "\u00a0")])
    assert get(url, "/api/categoryOptions/OptJava0001", "id~rename(a²𝐀b),name~size") == {
        "ab": "OptJava0001", "name": 5}
    body = get(url, "/api/categories/CatJava0001", "categoryOptions~keyBy(code)[id,code]")
    assert body["categoryOptions"] == {"\u00a0": {"id": "OptJava0002", "code": "\u00a0"}}


def test_field_names_keep_letters_digits_and_braces_and_only_bang_excludes(fresh_sandbox):
    # FieldFilterParser#expandField (2.41.9 = 2.42.5 = 2.43.1): `!` anywhere in a field makes it
    # an exclusion; `-`, `_`, `.` and spaces are skipped, so `-name` selects `name` and
    # `display_Name` reads `displayName`; a single `:` anywhere makes a preset (`opts:code`
    # is the unknown preset `optscode`, which selects nothing); a field after a nested block's
    # end is a field of the outer selection
    url = fresh_sandbox.url
    body = get(url, f"/api/categoryCombos/{COMBO}", "-name,display_Name,i d,co.de!,opts:code")
    assert body == {"name": "default", "displayName": "default", "id": COMBO}
    body = get(url, f"/api/categoryCombos/{COMBO}", "categories[id]name")
    assert body == {"categories": [{"id": "GLevLNI9wkl"}], "name": "default"}
    # an excluded preset is still applied (FieldPathHelper#apply takes every preset); its
    # exclusion names a property `all`, which there is none of
    body = get(url, f"/api/categoryCombos/{COMBO}", "!*,!code")
    assert body["name"] == "default" and body["id"] == COMBO and "code" not in body


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_simple_selects_the_simple_properties(sandbox_factory, version: str) -> None:
    # FieldPathHelper#applyPresets' `simple` branch (2.41.9 :219-222, 2.42.5 = 2.43.1
    # :221-224): the schema's properties whose PropertyType#isSimple, so no reference,
    # collection or complex one; another preset or a named field adds to them.
    url = sandbox_factory(version=version).url
    (combo,) = [c for c in get(url, "/api/categoryCombos", ":simple")["categoryCombos"]
                if c["id"] == COMBO]
    assert {"id", "name", "code", "dataDimensionType", "skipTotal", "created",
            "displayName"} <= set(combo)
    assert not {"categories", "categoryOptionCombos", "sharing", "access", "attributeValues",
                "translations", "createdBy", "lastUpdatedBy"} & set(combo)
    single = get(url, f"/api/categoryCombos/{COMBO}", ":simple,categories")
    assert set(single) == set(combo) | {"categories"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_two_paths_to_one_field_are_fieldpathhelpers_duplicate_key(sandbox_factory,
                                                                   version: str) -> None:
    # FieldPathHelper#apply collects the parser's paths by full path without a merge function;
    # it throws while StreamingJsonRootMessageConverter writes, whose generator closes the
    # opened array and the stream: a committed 200 at every release
    url = sandbox_factory(version=version).url
    unit = requests.get(f"{url}/api/organisationUnits", params={"pageSize": 1, "fields": "id"},
                        auth=ADMIN, timeout=10).json()["organisationUnits"][0]["id"]
    one = requests.get(f"{url}/api/organisationUnits/{unit}", params={"fields": "id~size,id"},
                       auth=ADMIN, timeout=10)
    assert one.status_code == 200 and one.content == b""
    for fields in ("id~size,id", "id,id~size", "children[id],children~size"):
        r = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                         params={"fields": fields, "pageSize": 1})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["organisationUnits"] == [] and body["pager"]["total"] > 0
    for fields in ("id~size,id~size", "id,!id~size", "id,:owner", "children[id],children[code]"):
        r = requests.get(f"{url}/api/organisationUnits/{unit}", params={"fields": fields},
                         auth=ADMIN, timeout=10)
        assert r.status_code == 200 and r.content.startswith(b"{"), (fields, r.text)


def test_a_second_rename_writes_a_null(fresh_sandbox):
    # RenameFieldTransformer removes the field the first rename already moved: a NullNode,
    # written past the NON_NULL mapper
    url = fresh_sandbox.url
    listed = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                          params={"fields": "id,name~rename(a)~rename(b)", "pageSize": 1})
    unit = listed.json()["organisationUnits"][0]
    assert list(unit) == ["id", "a", "b"] and unit["b"] is None and unit["a"]
    one = get(url, f"/api/organisationUnits/{unit['id']}", "name~rename(a)~rename(b)")
    assert one == {"a": unit["a"], "b": None}
