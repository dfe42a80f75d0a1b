"""`ProgramRuleActionObjectBundleHook#validate`: one validator per action type, its one report.

dhis2-core `programrule/action/validation/` (2.41.9 under `dhis-service-program-rule`, 2.42.5
and 2.43.1 under `dhis-service-core`; the validators read the same on all three):
- the map of action type → validator: 2.41.9 `dxf2/config/ServiceConfig
  #programRuleActionValidatorMap`, 2.42.5/2.43.1 `programrule/config/ServiceConfig`;
- `ProgramRuleActionValidationContextLoader#load`: the rule, its program and the program's
  stages, and each referenced object, from the preheat (stored first, `preheat.py`); a stage,
  section, option group or template missing there is read from the database, which the store
  already is;
- a validator stops at its first failure, so an action gets one error report at most; the
  report's main class is the validator's (`DataElement`, `Option`, …), not ProgramRuleAction.
SCHEDULEEVENT is a constant of `ProgramRuleActionType` from 2.43.1 only
(`Release.enum_constants_added`); before that Jackson refuses the value, so it never reaches
the hooks there.
Not modelled: an action without a rule or a rule without a program, and a SCHEDULEEVENT stage
without a program (dhis2-core fails with a NullPointerException).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.metadata import preheat
from scdi.sandbox.metadata.preheat import Finding, HookContext
from scdi.upstream.releases import RELEASES

MESSAGES = {
    "E4034": "ProgramNotificationTemplate `{0}` associated with program rule name `{1}` does "
             "not exist",
    "E4035": "ProgramNotificationTemplate cannot be null for program rule name `{0}`",
    "E4036": "ProgramStageSection cannot be null for program rule `{0}`",
    "E4037": "ProgramStageSection `{0}` associated with program rule `{1}` does not exist",
    "E4038": "ProgramStage cannot be null for program rule `{0}`",
    "E4039": "ProgramStage `{0}` associated with program rule `{1}` does not exist",
    "E4040": "Option cannot be null for program rule `{0}`",
    "E4041": "Option `{0}` associated with program rule `{1}` does not exist",
    "E4043": "OptionGroup `{0}` associated with program rule `{1}` does not exist",
    "E4044": "DataElement or TrackedEntityAttribute cannot be null for program rule `{0}`",
    "E4045": "DataElement `{0}` associated with program rule `{1}` does not exist",
    "E4046": "TrackedEntityAttribute `{0}` associated with program rule `{1}` does not exist",
    "E4047": "DataElement `{0}` is not linked to any ProgramStageDataElement for program rule "
             "`{1}`",
    "E4048": "TrackedEntityAttribute `{0}` is not linked to ProgramTrackedEntityAttribute for "
             "program rule `{1}`",
    "E4050": "One of DataElement, TrackedEntityAttribute or ProgramRuleVariable is required for "
             "program rule `{0}`",
    "E4058": "Program Rule `{0}` with Action Type `{1}` has irrelevant reference objects",
    # 2.43.1's text; 2.41.9/2.42.5 give E4083 another meaning, never reached from here since
    # only SCHEDULEEVENT reports it.
    "E4083": "ProgramRule `{0}` must be associated with a Tracker Program (a program with "
             "registration)",
    "E4084": "ProgramStage `{0}` is not part of Program `{1}`",
}

_DATA_ELEMENT = "org.hisp.dhis.dataelement.DataElement"
_TEA = "org.hisp.dhis.trackedentity.TrackedEntityAttribute"
_OPTION = "org.hisp.dhis.option.Option"
_STAGE = "org.hisp.dhis.program.ProgramStage"
_SECTION = "org.hisp.dhis.program.ProgramStageSection"
_TEMPLATE = "org.hisp.dhis.program.notification.ProgramNotificationTemplate"
_PROGRAM = "org.hisp.dhis.program.Program"
_ACTION = "org.hisp.dhis.programrule.ProgramRuleAction"


class _Action:
    """What a validator reads: the action, its rule and the rule's program and stages."""

    def __init__(self, ctx: HookContext, obj: dict[str, Any], rule: dict[str, Any],
                 program: dict[str, Any]) -> None:
        self.ctx, self.obj, self.program = ctx, obj, program
        self.rule_name = rule.get("name")
        self.rule_uid = rule.get("id")
        self.stages = [stage for ref in program.get("programStages") or []
                       if (stage := preheat.get(ctx, "programStages", ref)) is not None]

    def has(self, key: str) -> bool:
        return self.obj.get(key) is not None

    def uid(self, key: str) -> str | None:
        return preheat.ref_id(self.obj.get(key))

    def find(self, plural: str, key: str) -> dict[str, Any] | None:
        return preheat.get(self.ctx, plural, self.obj.get(key))

    def irrelevant(self, *keys: str) -> bool:
        return any(self.has(key) for key in keys)


def _base(action: _Action) -> Finding | None:
    """BaseProgramRuleActionValidator#validate: a data element of one of the program's stages,
    else an attribute of the program."""
    name = action.rule_name
    if not action.has("dataElement") and not action.has("trackedEntityAttribute"):
        return ("E4044", [name], _DATA_ELEMENT)
    if action.has("dataElement"):
        element = action.find("dataElements", "dataElement")
        if element is None:
            return ("E4045", [action.uid("dataElement"), name], _DATA_ELEMENT)
        in_stages = {preheat.ref_id(psde.get("dataElement")) for stage in action.stages
                     for psde in stage.get("programStageDataElements") or []}
        if element.get("id") not in in_stages:
            return ("E4047", [element.get("id"), name], _DATA_ELEMENT)
        return None
    attribute = action.find("trackedEntityAttributes", "trackedEntityAttribute")
    if attribute is None:
        return ("E4046", [action.uid("trackedEntityAttribute"), name], _TEA)
    in_program = {preheat.ref_id(ptea.get("trackedEntityAttribute"))
                  for ptea in action.program.get("programTrackedEntityAttributes") or []}
    if attribute.get("id") not in in_program:
        return ("E4048", [attribute.get("id"), name], _TEA)
    return None


def _assign(action: _Action) -> Finding | None:
    """AssignProgramRuleActionValidator: a data element, an attribute or a non-empty content."""
    if not action.has("dataElement") and not action.has("trackedEntityAttribute") and \
            not action.obj.get("content"):
        return ("E4050", [action.rule_name], _ACTION)
    return None


def _hide_option(action: _Action) -> Finding | None:
    name = action.rule_name
    if (base := _base(action)) is not None:
        return base
    if not action.has("option"):
        return ("E4040", [name], _OPTION)
    if action.find("options", "option") is None:
        return ("E4041", [action.uid("option"), name], _OPTION)
    if action.irrelevant("programStage", "optionGroup", "programStageSection"):
        return ("E4058", [name, "HIDEOPTION"], _OPTION)
    return None


def _option_group(action: _Action) -> Finding | None:
    """ShowHideOptionGroupProgramRuleActionValidator: a missing group is E4040 (the option's
    code, not E4042) and the irrelevant-reference report names HIDEOPTIONGROUP for both types."""
    name = action.rule_name
    if (base := _base(action)) is not None:
        return base
    if not action.has("optionGroup"):
        return ("E4040", [name], _OPTION)
    if action.find("optionGroups", "optionGroup") is None:
        return ("E4043", [action.uid("optionGroup"), name], _OPTION)
    if action.irrelevant("option", "programStage", "programStageSection"):
        return ("E4058", [name, "HIDEOPTIONGROUP"], _OPTION)
    return None


def _hide_stage(action: _Action) -> Finding | None:
    name = action.rule_name
    if not action.has("programStage"):
        return ("E4038", [name], _STAGE)
    if action.find("programStages", "programStage") is None:
        return ("E4039", [action.uid("programStage"), name], _STAGE)
    if action.irrelevant("dataElement", "option", "optionGroup", "programStageSection"):
        return ("E4058", [name, "HIDEPROGRAMSTAGE"], _OPTION)
    return None


def _hide_section(action: _Action) -> Finding | None:
    name = action.rule_name
    if not action.has("programStageSection"):
        return ("E4036", [name], _SECTION)
    if action.find("programStageSections", "programStageSection") is None:
        return ("E4037", [action.uid("programStageSection"), name], _SECTION)
    if action.irrelevant("dataElement", "option", "optionGroup", "programStage"):
        return ("E4058", [name, "HIDESECTION"], _OPTION)
    return None


def _notification(action: _Action) -> Finding | None:
    """NotificationProgramRuleActionValidator; what counts as no template is per release
    (`rule_action_blank_template_is_none`)."""
    template = action.obj.get("templateUid")
    blank_is_none = RELEASES[action.ctx.minor].rule_action_blank_template_is_none
    if template is None or (blank_is_none and not str(template).strip()):
        return ("E4035", [action.rule_name], _TEMPLATE)
    found = preheat.get(action.ctx, "programNotificationTemplates", {"id": str(template)})
    if found is None:
        return ("E4034", [template, action.rule_name], _TEMPLATE)
    return None


def _schedule_event(action: _Action) -> Finding | None:
    """ScheduleEventProgramRuleActionValidator (2.43.1): unlike the other validators it names
    the rule by uid, and a stage that does not exist is "cannot be null" (E4038), not E4039."""
    stage = action.find("programStages", "programStage")
    if stage is None:
        return ("E4038", [action.rule_uid], _STAGE)
    # `!program.isRegistration()` of the preheat's program: a stored one always has a type, a
    # new one from the payload may have none (Java's null, so E4083 beside its E4000)
    bound = action.ctx.store.get_object("programs", str(action.program.get("id"))) is None
    if not is_registration(action.program, bound=bound):
        return ("E4083", [action.rule_uid], _PROGRAM)
    stage_program = preheat.ref_id(stage.get("program"))
    if stage_program is None:
        return None  # dhis2-core: NullPointerException, not modelled
    if stage_program != action.program.get("id"):
        return ("E4084", [stage.get("id"), action.program.get("id")], _STAGE)
    return None


_VALIDATORS: dict[str, Callable[[_Action], Finding | None]] = {
    "SENDMESSAGE": _notification, "SCHEDULEMESSAGE": _notification,
    "SHOWOPTIONGROUP": _option_group, "HIDEOPTIONGROUP": _option_group,
    "ASSIGN": _assign,
    "HIDEFIELD": _base, "CREATEEVENT": _base, "SETMANDATORYFIELD": _base,
    "HIDEOPTION": _hide_option, "HIDESECTION": _hide_section, "HIDEPROGRAMSTAGE": _hide_stage,
    "SCHEDULEEVENT": _schedule_event,
    # DISPLAYTEXT, DISPLAYKEYVALUEPAIR, WARNINGONCOMPLETE, ERRORONCOMPLETE, SHOWWARNING and
    # SHOWERROR: AlwaysValidProgramRuleActionValidator.
}


def program_rule_action(ctx: HookContext, obj: dict[str, Any]) -> list[Finding]:
    validator = _VALIDATORS.get(str(obj.get("programRuleActionType")))
    if validator is None:
        return []
    rule = preheat.get(ctx, "programRules", obj.get("programRule"))
    program = preheat.get(ctx, "programs", (rule or {}).get("program"))
    if rule is None or program is None:
        return []
    finding = validator(_Action(ctx, obj, rule, program))
    return [finding] if finding else []
