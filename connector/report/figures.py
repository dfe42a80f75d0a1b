"""Which figures a report shows and their labels, read from the package's program indicators.

The defaults are the figures the field reports (`shared/domain.md`): people not relapsed and
those active in meetings, loans and their amount, houses built and repaired, gifts and the
people who got them, job referrals, detox referrals completed, members kept in meetings,
counselling contacts, and the outreach team's sessions, clients, conferences and voluntary
treatment entries (the mapping of `metadata/README.md`, "Each figure → indicator → dashboard item").

Each figure also names what officials read instead: the aggregate data element the package's
aggregate data exchange fills from it (the indicator's `SCDI_AGGREGATE_DATA_ELEMENT` attribute,
with its `aggregateExportCategoryOptionCombo` as an operand), or, for a figure exchanged only
by its parts (clients by sex), the one data element all those parts fill.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from scdi.connector.errors import InputError

Lang = Literal["vi", "en"]
AGGREGATE_ATTRIBUTE = "SCDI_AGGREGATE_DATA_ELEMENT"

DEFAULT_CODES: tuple[str, ...] = (
    "SCDI_PI_NOT_RELAPSED", "SCDI_PI_NOT_RELAPSED_IN_MEETINGS", "SCDI_PI_LOAN_PEOPLE",
    "SCDI_PI_LOAN_VND", "SCDI_PI_HOUSES_BUILT", "SCDI_PI_HOUSES_REPAIRED", "SCDI_PI_GIFT_VND",
    "SCDI_PI_GIFT_PEOPLE", "SCDI_PI_JOB_REFERRALS", "SCDI_PI_OUT_DETOX",
    "SCDI_PI_MEMBERS_IN_MEETINGS", "SCDI_PI_OUT_CONTACTS", "SCDI_PI_OUT_SESSIONS",
    "SCDI_PI_OUT_CLIENTS", "SCDI_PI_OUT_CONFERENCES", "SCDI_PI_OUT_CONFERENCE_CLIENTS",
    "SCDI_PI_OUT_INTO_VOLUNTARY",
)


class FigureDef(BaseModel):
    code: str
    uid: str
    label_en: str
    label_vi: str
    aggregate: str | None = None  # the officials' dx item: a data element UID or `de.coc` operand

    def label(self, lang: Lang) -> str:
        return self.label_vi if lang == "vi" else self.label_en


def _translation(doc: dict[str, Any], prop: str) -> str | None:
    for t in doc.get("translations") or []:
        if t.get("locale") == "vi" and t.get("property") == prop:
            return str(t.get("value"))
    return None


def figure_defs(package: dict[str, Any], codes: tuple[str, ...] | list[str] | None = None) -> list[FigureDef]:
    """The program indicators named by `codes` (default: the field's figures), in that order."""
    by_code = {str(d.get("code")): d for d in package.get("programIndicators") or []}
    wanted = list(codes) if codes else list(DEFAULT_CODES)
    unknown = [c for c in wanted if c not in by_code]
    if unknown:
        raise InputError(f"no program indicator with code {', '.join(unknown)} in the package",
                         hint="Use the codes of the package's program indicators (SCDI_PI_…).")
    targets = _aggregate_targets(package)
    out = []
    for code in wanted:
        doc = by_code[code]
        en = str(doc.get("shortName") or doc.get("name"))
        vi = _translation(doc, "SHORT_NAME") or _translation(doc, "NAME") or en
        out.append(FigureDef(code=code, uid=str(doc["id"]), label_en=en, label_vi=vi,
                             aggregate=targets.get(code) or _family_target(targets, code)))
    return out


def _aggregate_targets(package: dict[str, Any]) -> dict[str, str]:
    """Program indicator code → the dx item of the aggregate data the exchange writes from it."""
    attribute = next((str(a["id"]) for a in package.get("attributes") or [] if a.get("code") == AGGREGATE_ATTRIBUTE),
                     None)
    elements = {str(d.get("code")): str(d["id"]) for d in package.get("dataElements") or []}
    combos = {str(c.get("code")): str(c["id"]) for c in package.get("categoryOptionCombos") or []}
    out: dict[str, str] = {}
    for doc in package.get("programIndicators") or []:
        value = next((str(a.get("value")) for a in doc.get("attributeValues") or []
                      if (a.get("attribute") or {}).get("id") == attribute), None)
        if value is None or value not in elements:
            continue
        combo = combos.get(str(doc.get("aggregateExportCategoryOptionCombo") or ""))
        out[str(doc["code"])] = f"{elements[value]}.{combo}" if combo else elements[value]
    return out


def _family_target(targets: dict[str, str], code: str) -> str | None:
    """The data element every part of `code` (`code_MALE`, `code_FEMALE`, …) fills, when they agree."""
    parts = {item.split(".")[0] for part, item in targets.items() if part.startswith(f"{code}_")}
    return parts.pop() if len(parts) == 1 else None
