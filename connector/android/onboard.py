"""`onboard`: the hand-out sheets of one group's leaders (the members of its `SCDI_GRP_<code>` user
group). With `with_password`, each leader gets a new temporary password, set on the server
(`PUT /api/users/{uid}` with the account's owner properties, as UserController takes a password)
and printed on the sheet only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.android.sheet import Leader, render
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ValidationFailed
from scdi.connector.provision.passwords import generate_password, password_policy
from scdi.connector.provision.plan import group_user_group_code


class OnboardReport(BaseModel):
    group_code: str
    group_name: str
    file: str
    lang: str
    leaders: list[str] = Field(default_factory=list)  # usernames, one page each
    passwords_set: bool = False
    ok: bool = True


def group_leaders(client: Dhis2Client, group_code: str) -> tuple[str, list[dict[str, Any]]]:
    """The group's name and its leaders' accounts (id, username, email, disabled)."""
    code = group_code.upper()
    found = client.get("userGroups", params={"filter": f"code:eq:{group_user_group_code(code)}",
                                             "fields": "id,name,users[id]", "paging": "false"}).get("userGroups") or []
    if not found:
        raise ValidationFailed(f"group {code} is not provisioned on this server",
                               hint="Check the code with `scdi groups list`.")
    units = client.get("organisationUnits", params={"filter": f"code:eq:{code}", "fields": "name",
                                                    "paging": "false"}).get("organisationUnits") or []
    name = str(units[0]["name"]) if units else str(found[0].get("name", code))
    ids = sorted(str(u["id"]) for u in found[0].get("users") or [])
    if not ids:
        raise ValidationFailed(f"group {code} has no leader account")
    users = client.get("users", params={"filter": f"id:in:[{','.join(ids)}]", "fields": "id,username,email,disabled",
                                        "paging": "false"}).get("users") or []
    return name, sorted(users, key=lambda u: str(u.get("username")))


def onboard(client: Dhis2Client, group_code: str, out: Path, *, lang: str = "vi", with_password: bool = False,
            server_url: str | None = None, font: Path | None = None) -> OnboardReport:
    name, users = group_leaders(client, group_code)
    active = [u for u in users if not u.get("disabled")]
    if not active:
        raise ValidationFailed(f"every leader account of group {group_code.upper()} is disabled")
    leaders = []
    policy = password_policy(client) if with_password else None
    for user in active:
        password = None
        if with_password:
            password = generate_password(username=user["username"], email=user.get("email"), policy=policy)
            # `userGroups` is not an owner property, but UserController#putJsonObject sets the
            # user's groups to the ones the body lists: left out, the leader would lose them all
            account = client.get(f"users/{user['id']}", params={"fields": ":owner,userGroups[id]"})
            client.put(f"users/{user['id']}", json={**account, "password": password.get_secret_value()})
        leaders.append(Leader(username=str(user["username"]), group_code=group_code.upper(), group_name=name,
                              password=password))
    out.write_bytes(render(leaders, server_url or client.base_url, lang=lang, font=font))
    if with_password:  # the sheet is the only copy of the passwords: owner-only
        out.chmod(0o600)
    return OnboardReport(group_code=group_code.upper(), group_name=name, file=str(out), lang=lang,
                         leaders=[leader.username for leader in leaders], passwords_set=with_password)
