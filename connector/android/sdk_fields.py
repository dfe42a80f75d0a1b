"""The `fields` strings the DHIS2 Android SDK sends, one per request it makes.

The SDK builds them in code (`core/src/main/java/org/hisp/dhis/android/network/**/XxxFields.kt`
through `network/common/fields/Fields.kt#generateString`, dhis2-android-sdk 1.14.0); each
constant names the file it is built in. Sending the same strings is what makes a replay show
what a phone would get: a server that ignores a nested selection or lacks a derived property
answers the SDK differently from the way it answers the web apps.
"""

from __future__ import annotations

FIELDS_FILES: dict[str, str] = {}  # constant name -> the SDK file that builds it

# network/user/UserFields.kt (allFieldsWithOrgUnit, 2.38+)
ME = (
    "id,code,name,displayName,created,lastUpdated,birthday,education,gender,jobTitle,surname,"
    "firstName,introduction,employer,interests,languages,email,phoneNumber,nationality,deleted,"
    "userGroups[id,code,name,displayName,created,lastUpdated,deleted],username,userRoles[id,code,name,"
    "displayName,created,lastUpdated,deleted],organisationUnits[id,path],"
    "teiSearchOrganisationUnits[id,path]"
)
FIELDS_FILES["ME"] = "network/user/UserFields.kt (allFieldsWithOrgUnit, 2.38+)"

# network/systeminfo/SystemInfoFields.kt
SYSTEM_INFO = (
    "serverDate,dateFormat,version,contextPath,systemName,serverTimeZoneId"
)
FIELDS_FILES["SYSTEM_INFO"] = "network/systeminfo/SystemInfoFields.kt"

# network/constant/ConstantFields.kt
CONSTANTS = (
    "id,code,name,displayName,created,lastUpdated,deleted,value"
)
FIELDS_FILES["CONSTANTS"] = "network/constant/ConstantFields.kt"

# network/categorycombo/CategoryComboFields.kt
CATEGORY_COMBOS = (
    "id,code,name,displayName,created,lastUpdated,deleted,isDefault,categories[id],"
    "categoryOptionCombos[id,code,name,displayName,created,lastUpdated,deleted,categoryOptions[id]]"
)
FIELDS_FILES["CATEGORY_COMBOS"] = "network/categorycombo/CategoryComboFields.kt"

# network/organisationunitlevel/OrganisationUnitLevelFields.kt
ORG_UNIT_LEVELS = (
    "id,code,name,displayName,created,lastUpdated,deleted,level"
)
FIELDS_FILES["ORG_UNIT_LEVELS"] = "network/organisationunitlevel/OrganisationUnitLevelFields.kt"

# network/organisationunit/OrganisationUnitFields.kt
ORG_UNITS = (
    "id,code,name,displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,path,openingDate,closedDate,level,featureType,parent[id],programs[id],"
    "dataSets[id],ancestors[id,displayName],organisationUnitGroups[id,code,name,displayName,created,"
    "lastUpdated,deleted,shortName,displayShortName]"
)
FIELDS_FILES["ORG_UNITS"] = "network/organisationunit/OrganisationUnitFields.kt"

# network/program/ProgramFields.kt
PROGRAMS = (
    "id,code,name,displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,version,onlyEnrollOnce,displayIncidentDate,registration,"
    "selectEnrollmentDatesInFuture,dataEntryMethod,ignoreOverdueEvents,selectIncidentDatesInFuture,"
    "captureCoordinates,useFirstStageDuringRegistration,displayFrontPageList,programType,"
    "programTrackedEntityAttributes[id,code,name,displayName,created,lastUpdated,deleted,shortName,"
    "displayShortName,description,displayDescription,mandatory,allowFutureDate,displayInList,"
    "sortOrder,searchable,renderType,program[id],trackedEntityAttribute[id]],relatedProgram[id],"
    "trackedEntityType[id],categoryCombo[id],access[data[write]],programRuleVariables[id,code,name,"
    "displayName,created,lastUpdated,deleted,useCodeForOptionSet,program[id],programStage[id],"
    "dataElement[id],trackedEntityAttribute[id],programRuleVariableSourceType],style[color,icon],"
    "expiryDays,completeEventsExpiryDays,expiryPeriodType,minAttributesRequiredToSearch,"
    "maxTeiCountToReturn,featureType,accessLevel,programSections[id,code,name,displayName,created,"
    "lastUpdated,deleted,description,sortOrder,formName,program[id],programTrackedEntityAttribute[id],"
    "trackedEntityAttributes[id],style[color,icon],renderType],attributeValues[value,attribute[id]],"
    "displayEnrollmentLabel,displayFollowUpLabel,displayOrgUnitLabel,displayRelationshipLabel,"
    "displayNoteLabel,displayTrackedEntityAttributeLabel,displayProgramStageLabel,displayEventLabel,"
    "enrollmentCategoryCombo[id],displayEnrollmentDateLabel,displayIncidentDateLabel"
)
FIELDS_FILES["PROGRAMS"] = "network/program/ProgramFields.kt"

# network/programstage/ProgramStageFields.kt
PROGRAM_STAGES = (
    "id,code,name,displayName,created,lastUpdated,deleted,description,displayDescription,"
    "displayExecutionDateLabel,displayDueDateLabel,allowGenerateNextVisit,validCompleteOnly,"
    "reportDateToUse,openAfterEnrollment,repeatable,captureCoordinates,featureType,formType,"
    "displayGenerateEventBox,generatedByEnrollmentDate,autoGenerateEvent,sortOrder,hideDueDate,"
    "blockEntryForm,minDaysFromStart,standardInterval,periodType,program,remindCompleted,"
    "validationStrategy,enableUserAssignment,displayProgramStageLabel,displayEventLabel,"
    "programStageSections[id,code,name,displayName,created,lastUpdated,deleted,sortOrder,description,"
    "displayDescription,programIndicators[id],dataElements[id],renderType],"
    "programStageDataElements[id,code,name,displayName,created,lastUpdated,deleted,displayInReports,"
    "compulsory,allowProvidedElsewhere,sortOrder,allowFutureDate,renderType,dataElement[id,code,name,"
    "displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,valueType,zeroIsSignificant,aggregationType,formName,domainType,"
    "displayFormName,optionSet[id],categoryCombo[id],fieldMask,style[color,icon],access[read],"
    "legendSets[id],attributeValues[value,attribute[id]]],programStage[id]],style[color,icon],"
    "attributeValues[value,attribute[id]],access[data[write]]"
)
FIELDS_FILES["PROGRAM_STAGES"] = "network/programstage/ProgramStageFields.kt"

# network/trackedentitytype/TrackedEntityTypeFields.kt
TRACKED_ENTITY_TYPES = (
    "id,code,name,displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,featureType,trackedEntityTypeAttributes[trackedEntityType[id],"
    "trackedEntityAttribute[id],displayInList,mandatory,searchable],style[color,icon],"
    "access[data[read,write]]"
)
FIELDS_FILES["TRACKED_ENTITY_TYPES"] = "network/trackedentitytype/TrackedEntityTypeFields.kt"

# network/trackedentityattribute/TrackedEntityAttributeFields.kt
TRACKED_ENTITY_ATTRIBUTES = (
    "id,code,name,displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,pattern,sortOrderInListNoProgram,valueType,expression,programScope,"
    "aggregationType,displayInListNoProgram,generated,displayOnVisitSchedule,orgunitScope,unique,"
    "inherit,fieldMask,legendSets[id],optionSet[id],style[color,icon],access[read],formName,"
    "displayFormName,confidential,preferredSearchOperator,blockedSearchOperators,"
    "minCharactersToSearch"
)
FIELDS_FILES["TRACKED_ENTITY_ATTRIBUTES"] = "network/trackedentityattribute/TrackedEntityAttributeFields.kt"

# network/programrule/ProgramRuleFields.kt
PROGRAM_RULES = (
    "id,code,name,displayName,created,lastUpdated,deleted,priority,condition,program[id],"
    "programStage[id],programRuleActions[id,code,name,displayName,created,lastUpdated,deleted,data,"
    "content,location,programRuleActionType,trackedEntityAttribute[id],programIndicator[id],"
    "programStageSection[id],programStage[id],dataElement[id],option[id],optionGroup[id],"
    "displayContent,priority,legendSet]"
)
FIELDS_FILES["PROGRAM_RULES"] = "network/programrule/ProgramRuleFields.kt"

# network/relationshiptype/RelationshipTypeFields.kt
RELATIONSHIP_TYPES = (
    "id,code,name,displayName,created,lastUpdated,deleted,bIsToA,aIsToB,fromToName,toFromName,"
    "bidirectional,fromConstraint[id,code,name,displayName,created,lastUpdated,deleted,"
    "relationshipEntity,trackedEntityType[id],program[id],programStage[id],trackerDataView[attributes,"
    "dataElements]],toConstraint[id,code,name,displayName,created,lastUpdated,deleted,"
    "relationshipEntity,trackedEntityType[id],program[id],programStage[id],trackerDataView[attributes,"
    "dataElements]],access[data[read,write]]"
)
FIELDS_FILES["RELATIONSHIP_TYPES"] = "network/relationshiptype/RelationshipTypeFields.kt"

# network/optionset/OptionSetFields.kt
OPTION_SETS = (
    "id,code,name,displayName,created,lastUpdated,deleted,version,valueType"
)
FIELDS_FILES["OPTION_SETS"] = "network/optionset/OptionSetFields.kt"

# network/option/OptionFields.kt
OPTIONS = (
    "id,code,name,displayName,created,lastUpdated,deleted,sortOrder,optionSet[id],style[color,icon]"
)
FIELDS_FILES["OPTIONS"] = "network/option/OptionFields.kt"

# network/optiongroup/OptionGroupFields.kt
OPTION_GROUPS = (
    "id,code,name,displayName,created,lastUpdated,deleted,optionSet[id],options[id]"
)
FIELDS_FILES["OPTION_GROUPS"] = "network/optiongroup/OptionGroupFields.kt"

# network/trackedentityinstancefilter/TrackedEntityInstanceFilterFields.kt
TE_FILTERS = (
    "id,code,name,displayName,created,lastUpdated,deleted,description,sortOrder,program[id],"
    "eventFilters[programStage,eventStatus,eventCreatedPeriod,assignedUserMode],"
    "entityQueryCriteria[followUp,organisationUnit,ouMode,assignedUserMode,orderProperty,"
    "displayColumnOrder,eventStatus,programStage,trackedEntityInstances,trackedEntityType,"
    "enrollmentStatus,eventDate[startBuffer,endBuffer,startDate,endDate,period,type],"
    "lastUpdatedDate[startBuffer,endBuffer,startDate,endDate,period,type],"
    "enrollmentIncidentDate[startBuffer,endBuffer,startDate,endDate,period,type],"
    "enrollmentCreatedDate[startBuffer,endBuffer,startDate,endDate,period,type],"
    "attributeValueFilters[attribute,sw,ew,le,ge,gt,lt,eq,in,like,dateFilter]]"
)
FIELDS_FILES["TE_FILTERS"] = "network/trackedentityinstancefilter/TrackedEntityInstanceFilterFields.kt"

# network/eventfilter/EventFilterFields.kt
EVENT_FILTERS = (
    "id,code,name,displayName,created,lastUpdated,deleted,program,programStage,description,"
    "eventQueryCriteria[followUp,organisationUnit,ouMode,assignedUserMode,order,displayColumnOrder,"
    "events,status,dataFilters[dataItem,le,ge,gt,lt,eq,in,like,dateFilter],eventDate[startBuffer,"
    "endBuffer,startDate,endDate,period,type],dueDate[startBuffer,endBuffer,startDate,endDate,period,"
    "type],lastUpdatedDate[startBuffer,endBuffer,startDate,endDate,period,type],"
    "completedDate[startBuffer,endBuffer,startDate,endDate,period,type]]"
)
FIELDS_FILES["EVENT_FILTERS"] = "network/eventfilter/EventFilterFields.kt"

# network/programstageworkinglist/ProgramStageWorkingListFields.kt
WORKING_LISTS = (
    "id,code,name,displayName,created,lastUpdated,deleted,description,program[id],programStage[id],"
    "programStageQueryCriteria[eventStatus,eventCreatedAt,eventOccurredAt,eventScheduledAt,"
    "enrollmentStatus,enrolledAt,enrollmentOccurredAt,order,orgUnit,ouMode,assignedUserMode,"
    "dataFilters[dataItem,le,ge,gt,lt,eq,in,like,dateFilter],attributeValueFilters[attribute,sw,ew,le,"
    "ge,gt,lt,eq,in,like,dateFilter]]"
)
FIELDS_FILES["WORKING_LISTS"] = "network/programstageworkinglist/ProgramStageWorkingListFields.kt"

# network/programindicator/ProgramIndicatorFields.kt
PROGRAM_INDICATORS = (
    "id,code,name,displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,displayInForm,expression,dimensionItem,filter,decimals,aggregationType,"
    "analyticsType,program[id],analyticsPeriodBoundaries[boundaryTarget,analyticsPeriodBoundaryType,"
    "offsetPeriods,offsetPeriodType],legendSets[id]"
)
FIELDS_FILES["PROGRAM_INDICATORS"] = "network/programindicator/ProgramIndicatorFields.kt"

# network/category/CategoryFields.kt
CATEGORIES = (
    "id,code,name,displayName,created,lastUpdated,deleted,categoryOptions[id],dataDimensionType"
)
FIELDS_FILES["CATEGORIES"] = "network/category/CategoryFields.kt"

# network/categoryoption/CategoryOptionFields.kt
CATEGORY_OPTIONS = (
    "id,code,name,displayName,created,lastUpdated,deleted,shortName,displayShortName,description,"
    "displayDescription,startDate,endDate,access[data[read,write]]"
)
FIELDS_FILES["CATEGORY_OPTIONS"] = "network/categoryoption/CategoryOptionFields.kt"

# network/tracker/NewTrackedEntityInstanceFields.kt
TRACKED_ENTITIES = (
    "trackedEntity,createdAt,updatedAt,createdAtClient,updatedAtClient,orgUnit,trackedEntityType,"
    "geometry,deleted,attributes[attribute,value,createdAt,updatedAt],relationships[relationship,"
    "relationshipName,relationshipType,createdAt,updatedAt,from[trackedEntity[trackedEntity],"
    "enrollment[enrollment],event[event]],to[trackedEntity[trackedEntity],enrollment[enrollment],"
    "event[event]]],enrollments[enrollment,createdAt,updatedAt,createdAtClient,updatedAtClient,"
    "orgUnit,program,enrolledAt,occurredAt,completedAt,followUp,status,deleted,trackedEntity,geometry,"
    "attributeOptionCombo,events[event,enrollment,createdAt,updatedAt,createdAtClient,updatedAtClient,"
    "status,geometry,program,programStage,orgUnit,occurredAt,completedAt,scheduledAt,deleted,"
    "attributeOptionCombo,assignedUser,completedBy,notes[note,value,storedAt,storedBy],"
    "relationships[relationship,relationshipName,relationshipType,createdAt,updatedAt,"
    "from[trackedEntity[trackedEntity],enrollment[enrollment],event[event]],"
    "to[trackedEntity[trackedEntity],enrollment[enrollment],event[event]]],dataValues[dataElement,"
    "createdBy,value,createdAt,updatedAt,providedElsewhere]],notes[note,value,storedAt,storedBy],"
    "relationships[relationship,relationshipName,relationshipType,createdAt,updatedAt,"
    "from[trackedEntity[trackedEntity],enrollment[enrollment],event[event]],"
    "to[trackedEntity[trackedEntity],enrollment[enrollment],event[event]]]],programOwners"
)
FIELDS_FILES["TRACKED_ENTITIES"] = "network/tracker/NewTrackedEntityInstanceFields.kt"

# network/tracker/NewEventFields.kt
EVENTS = (
    "event,enrollment,createdAt,updatedAt,createdAtClient,updatedAtClient,status,geometry,program,"
    "programStage,orgUnit,occurredAt,completedAt,scheduledAt,deleted,attributeOptionCombo,"
    "assignedUser,completedBy,notes[note,value,storedAt,storedBy],relationships[relationship,"
    "relationshipName,relationshipType,createdAt,updatedAt,from[trackedEntity[trackedEntity],"
    "enrollment[enrollment],event[event]],to[trackedEntity[trackedEntity],enrollment[enrollment],"
    "event[event]]],dataValues[dataElement,createdBy,value,createdAt,updatedAt,providedElsewhere]"
)
FIELDS_FILES["EVENTS"] = "network/tracker/NewEventFields.kt"
