"""What a fresh sandbox holds: DHIS2's default category objects, user roles and users, and a
Viet Nam org unit tree (current two-tier one or the legacy three-tier one).

Default objects: `dhis-services/dhis-service-core/.../category/DefaultCategoryService.java
#generateDefaultDimension` (UIDs xYerKDKCefk, GLevLNI9wkl, bjDvmb4bfuf, HllvX50cXC0; code and
name "default"; public access "rwrw----" for the option, "rw------" for the others, from
`security/acl/AccessStringHelper.java`).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from scdi.sandbox.core import java_hash, objects, users
from scdi.sandbox.core.store import Store
from scdi.sandbox.metadata.defaults import (
    DEFAULT_CATEGORY,
    DEFAULT_CATEGORY_COMBO,
    DEFAULT_CATEGORY_OPTION,
    DEFAULT_CATEGORY_OPTION_COMBO,
)

ADMIN_UID = "xE7jOejl9FI"  # the admin user's UID in DHIS2's demo database
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "district"  # noqa: S105 - DHIS2 demo credentials, printed at start
DEMO_PASSWORD = "district"  # noqa: S105 - shared by seeded users, as in the demo DB

TREES = ("current", "legacy")
SEED_TIME = "2025-07-01T00:00:00.000"

# Tracker data-entry authorities as DHIS2 names them (security/Authorities.java and the
# capture app's module authority).
_CAPTURE_AUTHORITIES = [
    "M_dhis-web-capture", "M_dhis-web-tracker-capture", "F_TRACKED_ENTITY_INSTANCE_SEARCH",
    "F_UNCOMPLETE_EVENT", "F_VIEW_EVENT_ANALYTICS",
]

ROLES: list[dict[str, Any]] = [
    {"id": "yrB6vc5Ip3r", "name": "Superuser", "description": "All authorities",
     "authorities": ["ALL"]},
    {"id": "Ufph3mGRmMo", "name": "Metadata manager",
     "description": "Imports and maintains metadata packages",
     "authorities": ["F_METADATA_IMPORT", "F_METADATA_EXPORT", "F_PROGRAM_PUBLIC_ADD",
                     "F_PROGRAMSTAGE_ADD", "F_TRACKED_ENTITY_ATTRIBUTE_PUBLIC_ADD",
                     "F_TRACKED_ENTITY_ADD", "F_DATAELEMENT_PUBLIC_ADD",
                     "F_OPTIONSET_PUBLIC_ADD", "F_PROGRAM_RULE_ADD",
                     "F_PROGRAM_RULE_MANAGEMENT", "F_USERGROUP_PUBLIC_ADD",
                     # a package's charts and line lists are shared: CREATE_PUBLIC of
                     # VisualizationSchemaDescriptor / EventVisualizationSchemaDescriptor
                     "F_VISUALIZATION_PUBLIC_ADD", "F_EVENT_VISUALIZATION_PUBLIC_ADD",
                     "M_dhis-web-maintenance"]},
    {"id": "Euq3XfEIEbx", "name": "Trưởng nhóm (group leader)",
     "description": "Captures members and activities of one peer group",
     "authorities": _CAPTURE_AUTHORITIES},
    {"id": "DXyJmlo9rge", "name": "Cán bộ tỉnh (province officer)",
     "description": "Reads and follows up the data of one province",
     "authorities": [*_CAPTURE_AUTHORITIES, "F_TEI_CASCADE_DELETE",
                     "F_ENROLLMENT_CASCADE_DELETE", "M_dhis-web-dashboard"]},
    {"id": "jRWSNIHdKww", "name": "Dashboard viewer", "description": "Reads dashboards only",
     "authorities": ["M_dhis-web-dashboard"]},
]


def stable_uid(text: str) -> str:
    """A deterministic valid UID (seeded objects keep their UIDs across restarts)."""
    digest = hashlib.sha256(text.encode()).digest()
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    alnum = "0123456789" + letters
    return letters[digest[0] % 52] + "".join(alnum[b % 62] for b in digest[1:11])


def load_tree(tree: str) -> dict[str, Any]:
    if tree not in TREES:
        raise ValueError(f"unknown tree {tree!r}; expected one of {TREES}")
    text = resources.files("scdi.sandbox").joinpath("data", f"vn_tree_{tree}.json").read_text(
        encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _put(store: Store, plural: str, obj: dict[str, Any], admin: users.User | None,
         public: str = "rw------") -> None:
    objects.stamp_create(obj, admin, SEED_TIME, public=public)
    store.put_object(plural, obj)


def _defaults(store: Store, admin: users.User | None) -> None:
    option = {"id": DEFAULT_CATEGORY_OPTION, "code": "default", "name": "default",
              "shortName": "default", "categories": [{"id": DEFAULT_CATEGORY}],
              "categoryOptionCombos": [{"id": DEFAULT_CATEGORY_OPTION_COMBO}],
              "organisationUnits": [], "attributeValues": [], "translations": []}
    category = {"id": DEFAULT_CATEGORY, "code": "default", "name": "default",
                "shortName": "default", "dataDimensionType": "DISAGGREGATION",
                "dataDimension": False,
                "categoryOptions": [{"id": DEFAULT_CATEGORY_OPTION}],
                "categoryCombos": [{"id": DEFAULT_CATEGORY_COMBO}],
                "attributeValues": [], "translations": []}
    combo = {"id": DEFAULT_CATEGORY_COMBO, "code": "default", "name": "default",
             "dataDimensionType": "DISAGGREGATION", "skipTotal": False,
             "categories": [{"id": DEFAULT_CATEGORY}],
             "categoryOptionCombos": [{"id": DEFAULT_CATEGORY_OPTION_COMBO}],
             "attributeValues": [], "translations": []}
    coc = {"id": DEFAULT_CATEGORY_OPTION_COMBO, "code": "default", "name": "default",
           "ignoreApproval": False, "categoryCombo": {"id": DEFAULT_CATEGORY_COMBO},
           "categoryOptions": [{"id": DEFAULT_CATEGORY_OPTION}],
           "attributeValues": [], "translations": []}
    _put(store, "categoryOptions", option, admin, public="rwrw----")
    _put(store, "categories", category, admin)
    _put(store, "categoryCombos", combo, admin)
    _put(store, "categoryOptionCombos", coc, admin)


def _org_units(store: Store, tree: str, admin: users.User | None) -> dict[str, str]:
    """Store the tree; return code → uid."""
    data = load_tree(tree)
    codes: dict[str, str] = {}
    paths: dict[str, str] = {}
    for unit in data["organisationUnits"]:
        parent_code = unit.get("parent")
        uid = unit.get("id") or stable_uid(f"ou:{tree}:{unit['code']}")
        codes[unit["code"]] = uid
        path = (paths[parent_code] if parent_code else "") + "/" + uid
        paths[unit["code"]] = path
        obj: dict[str, Any] = {
            "id": uid, "code": unit["code"], "name": unit["name"],
            "shortName": unit.get("shortName", unit["name"])[:50],
            "openingDate": unit.get("openingDate", "1976-07-02T00:00:00.000"),
            "level": path.count("/"), "path": path,
            "attributeValues": [], "translations": [],
        }
        if parent_code:
            obj["parent"] = {"id": codes[parent_code]}
        _put(store, "organisationUnits", obj, admin)
    levels = data.get("levels", [])
    for number, name in enumerate(levels, start=1):
        _put(store, "organisationUnitLevels", {
            "id": stable_uid(f"oul:{tree}:{number}"), "name": name, "level": number,
            "offlineLevels": None, "attributeValues": [], "translations": []}, admin)
    return codes


def _users(store: Store, tree: str, codes: dict[str, str]) -> None:
    data = load_tree(tree)
    sample = data["sampleUsers"]  # codes of the units the seeded users work in
    root = codes[data["organisationUnits"][0]["code"]]
    people = [
        (ADMIN_UID, ADMIN_USERNAME, "Quản trị", "Hệ thống", ["yrB6vc5Ip3r"], [root], [root],
         ADMIN_PASSWORD),
        (stable_uid("user:metadata"), "metadata.manager", "Quản lý", "Siêu dữ liệu",
         ["Ufph3mGRmMo"], [root], [root], DEMO_PASSWORD),
        (stable_uid("user:province"), "province.officer", "Cán bộ", "Tỉnh", ["DXyJmlo9rge"],
         [codes[sample["province"]]], [codes[sample["province"]]], DEMO_PASSWORD),
        (stable_uid("user:leader"), "group.leader", "Trưởng", "Nhóm", ["Euq3XfEIEbx"],
         [codes[sample["commune"]]], [codes[sample["province"]]], DEMO_PASSWORD),
        (stable_uid("user:viewer"), "dashboard.viewer", "Người", "Xem", ["jRWSNIHdKww"],
         [codes[sample["province"]]], [], DEMO_PASSWORD),
    ]
    admin_obj: dict[str, Any] | None = None
    for uid, username, first, last, roles, capture, search, password in people:
        obj = {
            "id": uid, "username": username, "firstName": first, "surname": last,
            "name": f"{first} {last}", "displayName": f"{first} {last}",
            "disabled": False, "externalAuth": False, "twoFactorEnabled": False,
            "userRoles": [{"id": r} for r in roles],
            "organisationUnits": [{"id": u} for u in capture],
            "teiSearchOrganisationUnits": [{"id": u} for u in search],
            "dataViewOrganisationUnits": [{"id": u} for u in (search or capture)],
            "userGroups": [], "attributeValues": [], "settings": {},
        }
        admin = users.from_object(store, admin_obj) if admin_obj else None
        objects.stamp_create(obj, admin, SEED_TIME, shareable=False)
        store.put_object("users", obj)
        users.set_password(store, uid, username, password)
        if admin_obj is None:
            admin_obj = obj


def seed(store: Store, tree: str = "current", version: str = "2.42") -> None:
    """Fill an empty store. Roles first (users need them), then the admin, then the rest."""
    with store.transaction():
        for role in ROLES:
            store.put_object("userRoles", objects.stamp_create(
                {**role, "authorities": java_hash.hash_set_order(role["authorities"]),
                 "restrictions": [], "users": [], "attributeValues": [],
                 "translations": []}, None, SEED_TIME))
        codes = _org_units(store, tree, None)
        _users(store, tree, codes)
        admin = users.load(store, ADMIN_UID)
        _defaults(store, admin)
        store.set_meta("tree", tree)
        store.set_meta("version", version)
        store.set_meta("systemId", stable_uid(f"system:{tree}"))
