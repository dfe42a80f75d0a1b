"""How programs, stages, rules and their parts hang together in a package, as lookups.

A DHIS2 export states each link from one side or both (a rule lists its actions, an action
names its rule; a stage lists its data elements inline or as references to top-level
`programStageDataElements`); these helpers accept either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scdi.connector.metadata.index import Obj, PackageIndex, ref_id, ref_ids


@dataclass
class ProgramModel:
    program: Obj
    stages: list[Obj] = field(default_factory=list)
    stage_data_elements: dict[str, set[str]] = field(default_factory=dict)  # stage → DE UIDs
    attributes: set[str] = field(default_factory=set)  # program + tracked entity type TEAs
    program_attributes: list[Obj] = field(default_factory=list)  # programTrackedEntityAttribute
    sections: dict[str, str] = field(default_factory=dict)  # section UID → stage UID

    @property
    def data_elements(self) -> set[str]:
        return set().union(*self.stage_data_elements.values()) if self.stage_data_elements else set()

    @property
    def uid(self) -> str:
        return self.program.uid or ""


@dataclass
class Model:
    programs: dict[str, ProgramModel]
    stage_program: dict[str, str]  # stage UID → program UID
    rule_of_action: dict[str, Obj]  # action UID → rule
    actions_of_rule: dict[str, list[Obj]]  # rule UID → actions


def _psde_data_element(index: PackageIndex, item: object) -> str | None:
    if not isinstance(item, dict):
        return None
    direct = ref_id(item.get("dataElement"))
    if direct:
        return direct
    top = index.get(ref_id(item), "programStageDataElement")
    return ref_id(top.data.get("dataElement")) if top else None


def _ptea_attribute(index: PackageIndex, item: object) -> str | None:
    if not isinstance(item, dict):
        return None
    direct = ref_id(item.get("trackedEntityAttribute"))
    if direct:
        return direct
    top = index.get(ref_id(item), "programTrackedEntityAttribute")
    return ref_id(top.data.get("trackedEntityAttribute")) if top else None


def build_model(index: PackageIndex) -> Model:
    programs: dict[str, ProgramModel] = {}
    stage_program: dict[str, str] = {}
    for program in index.of_type("program"):
        if program.uid:
            programs[program.uid] = ProgramModel(program)
            for stage_uid in ref_ids(program.data.get("programStages")):
                stage_program[stage_uid] = program.uid
    for stage in index.of_type("programStage"):
        owner = ref_id(stage.data.get("program"))
        if stage.uid and owner:
            stage_program.setdefault(stage.uid, owner)
    for stage in index.of_type("programStage"):
        model = programs.get(stage_program.get(stage.uid or "", ""))
        if model is None or not stage.uid:
            continue
        model.stages.append(stage)
        elements = {de for de in (_psde_data_element(index, item)
                                  for item in stage.data.get("programStageDataElements") or []) if de}
        model.stage_data_elements[stage.uid] = elements
        for section_uid in ref_ids(stage.data.get("programStageSections")):
            model.sections[section_uid] = stage.uid or ""
    for section in index.of_type("programStageSection"):
        section_stage = ref_id(section.data.get("programStage"))
        if section_stage and section.uid and section_stage in stage_program:
            programs[stage_program[section_stage]].sections.setdefault(section.uid, section_stage)
        elif section.parent is not None and section.parent.type == "programStage" and section.uid:
            owning_program = stage_program.get(section.parent.uid or "")
            if owning_program:
                programs[owning_program].sections.setdefault(section.uid, section.parent.uid or "")
    for model in programs.values():
        for item in model.program.data.get("programTrackedEntityAttributes") or []:
            attribute = _ptea_attribute(index, item)
            if attribute:
                model.attributes.add(attribute)
                full = index.get(ref_id(item), "programTrackedEntityAttribute")
                if full is not None:
                    model.program_attributes.append(full)
        tet = index.get(ref_id(model.program.data.get("trackedEntityType")), "trackedEntityType")
        if tet is not None:
            for item in tet.data.get("trackedEntityTypeAttributes") or []:
                if isinstance(item, dict):
                    attribute = ref_id(item.get("trackedEntityAttribute"))
                    if attribute:
                        model.attributes.add(attribute)
    rule_of_action: dict[str, Obj] = {}
    actions_of_rule: dict[str, list[Obj]] = {}
    for rule in index.of_type("programRule"):
        for action_uid in ref_ids(rule.data.get("programRuleActions")):
            rule_of_action[action_uid] = rule
    for action in index.of_type("programRuleAction"):
        rule_owner = index.get(ref_id(action.data.get("programRule")), "programRule")
        if rule_owner is None and action.parent is not None and action.parent.type == "programRule":
            rule_owner = action.parent
        if rule_owner is not None and action.uid:
            rule_of_action.setdefault(action.uid, rule_owner)
    for action_uid, rule_owner in rule_of_action.items():
        found = index.get(action_uid, "programRuleAction")
        if found is not None and rule_owner.uid:
            actions_of_rule.setdefault(rule_owner.uid, []).append(found)
    return Model(programs, stage_program, rule_of_action, actions_of_rule)
