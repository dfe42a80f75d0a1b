"""The one table of DHIS2 release differences that scdi-groups cares about.

Both the connector (to speak to a server) and the sandbox (to answer like one) read this
table; nowhere else in the code base may branch on a DHIS2 version number. Each row cites
where DHIS2 shows the difference (paths under dhis2/dhis2-core `dhis-2/` unless stated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum


class Support(StrEnum):
    SUPPORTED = "supported"
    WARN = "works with a warning"
    UNSUPPORTED = "unsupported"


# `Method#toGenericString` of 2.42.5/2.43.1 handlers whose missing `@RequestBody` Spring names
# (the `potential_duplicate_handler` and `tracker_import_json_handlers` fields).
_POTENTIAL_DUPLICATE_HANDLER = (
    "public org.hisp.dhis.tracker.deduplication.PotentialDuplicate "
    "org.hisp.dhis.webapi.controller.tracker.deduplication.DeduplicationController"
    ".postPotentialDuplicate(org.hisp.dhis.tracker.deduplication.PotentialDuplicate) throws "
    "org.hisp.dhis.feedback.ForbiddenException,org.hisp.dhis.feedback.ConflictException,"
    "org.hisp.dhis.feedback.NotFoundException,"
    "org.hisp.dhis.tracker.deduplication.PotentialDuplicateConflictException,"
    "org.hisp.dhis.feedback.BadRequestException")
_TRACKER_IMPORT_JSON = (
    "public org.springframework.http.ResponseEntity<?> "
    "org.hisp.dhis.webapi.controller.tracker.imports.TrackerImportController.importJson("
    "jakarta.servlet.http.HttpServletRequest,"
    "org.hisp.dhis.webapi.controller.tracker.imports.ImportRequestParams,"
    "org.hisp.dhis.webapi.controller.tracker.imports.Body,org.hisp.dhis.user.UserDetails) "
    "throws org.hisp.dhis.feedback.ConflictException,java.io.IOException")


@dataclass(frozen=True)
class OwnershipChecks:
    """What `POST /api/tracker/ownership/override` (a temporary owner, breaking the glass) and
    `PUT /api/tracker/ownership/transfer` check, per release: 2.41.9
    `webapi/controller/event/TrackerOwnershipController.java` and
    `dhis-service-core/.../trackedentity/DefaultTrackerOwnershipManager.java`; 2.42.5
    `webapi/controller/tracker/ownership/TrackerOwnershipController.java` and
    `dhis-service-tracker/.../tracker/acl/DefaultTrackerOwnershipManager.java`; 2.43.1 the same
    controller and `dhis-tracker/.../tracker/acl/DefaultTrackerOwnershipManager.java` with
    `TrackerProgramService.java`."""

    # 2.41: `trackedEntity` or the deprecated `trackedEntityInstance` (optional UIDs, one of
    # them required), `program` and `ou` plain Strings; 2.42+: `trackedEntity` and `program`
    # required UIDs.
    deprecated_tracked_entity_param: bool
    # The org unit parameters of the transfer, the deprecated one first: 2.41 `ou`, 2.42 `ou`
    # or `orgUnit` (one required, RequestParamsValidator#validateMandatoryDeprecatedUidParameter),
    # 2.43 `orgUnit` only.
    transfer_org_unit_params: tuple[str, ...]
    # 2.42+: the transfer reads the tracked entity as `GET /api/tracker/trackedEntities/{uid}
    # ?program=` does (TrackedEntityService#getTrackedEntity(uid, program, none()): 404 for an
    # unknown program or a record outside the user's access); 2.41 a plain lookup, and an
    # unknown tracked entity, program or org unit transfers nothing and answers 200.
    transfer_reads_through_export: bool
    # 2.41: the refused ownership is Spring's AccessDeniedException, which
    # CrudControllerAdvice#accessDeniedExceptionHandler answers `forbidden(message)` without
    # an errorCode; 2.42+ a ForbiddenException (E1006).
    transfer_denied_error_code: bool
    # 2.43: TrackerProgramService first (400 "Provided program, …, does not exist." / "… is not
    # a tracker program.", 403 "Current user doesn't have data read|write access to the
    # provided program …."), 404 for an unknown tracked entity (override) or org unit
    # (transfer), the override's checks reordered (type data read, access level, type; then
    # superuser, search scope), the transfer's messages prefixed "Tracked entity not
    # transferred. " and 400 when the record has no owner row or the owner is already the
    # org unit; 2.41/2.42 403 for every refusal of the override and a silent no-op then.
    validated: bool


@dataclass(frozen=True)
class Release:
    """What one DHIS2 minor release does differently."""

    minor: str
    support: Support
    # The patch release this row describes: what the sandbox reports in /api/system/info and
    # the dhis2-core tag every behaviour of the release was read from (2.41.9, 2.42.5, 2.43.1).
    example_version: str
    # Tracker export page envelope: "instances" (PagingWrapper, 2.39/2.40),
    # "pager+flat" (view/Page.java 2.41: pager object plus deprecated flat fields),
    # "pager" (view/Page.java 2.42+: pager object only, nextPage/prevPage URLs).
    tracker_page_envelope: str
    # `program` mandatory on GET /api/tracker/events and /enrollments (2.43:
    # webapi/controller/tracker/RequestParamsValidator.java#validateMandatoryProgram).
    program_required_on_events_and_enrollments: bool
    # GET /api/tracker/enrollments accepts `trackedEntityType` (dropped in 2.43). The same
    # rework of EnrollmentOperationParamsMapper#map (2.43.1 :72-77) dropped its
    # OperationsParamsValidator#validateTrackedEntities of `trackedEntity` (2.41.9 :71, 2.42.5
    # :71-72) and brought 2.43.1's `UID attributeOptionCombo` (EnrollmentRequestParams :136).
    enrollments_accept_tracked_entity_type: bool
    # Tracker import error codes that exist in this release but not in the next ones
    # (2.43 removed E1084/E1085 and others: tracker/imports/validation/ValidationCode.java).
    tracker_error_codes_removed: frozenset[str]
    # Tracker import error code for a wrong attribute / data value type.
    attribute_value_type_error: str
    data_value_type_error: str
    # `response.responseType` of POST /api/metadata (webmessage/WebMessageResponse.java
    # returns the simple class name; newest patch of each release).
    metadata_import_response_type: str
    # `response.responseType` of POST /api/tracker async answer (2.39/2.40 "TrackerJob";
    # 2.41.9 TrackerJobWebMessageResponse has none, its WebMessageResponse is an empty
    # interface; 2.42.0+ gets "TrackerJob" from the interface default `getResponseType`,
    # dhis-api/.../webmessage/WebMessageResponse.java, asserted by 2.43.1
    # TrackerImportControllerTest).
    tracker_job_response_type: str | None
    # Where `responseType` sits among a WebMessage response's keys: up to 2.41.9 the response
    # classes extend webmessage/AbstractWebMessageResponse.java, whose field Jackson writes first
    # (POJOPropertiesCollector adds fields before getters, a superclass's fields before the
    # class's own); from 2.42.0 they implement WebMessageResponse and take its default
    # `getResponseType`, which Jackson finds after the class's own properties: last.
    web_message_response_type_last: bool
    # Where an unauthenticated browser request is redirected: the entry point of
    # security/config/DhisWebApiWebSecurityConfig.java (2.41.9
    # `FormLoginBasicAuthenticationEntryPoint("/dhis-web-login")`, 2.42.5
    # `entryPoint()` = `Http401LoginUrlAuthenticationEntryPoint("/dhis-web-login/")`, 2.43.1
    # the same with "/login/").
    login_path: str
    # Where a failed Basic login (non-XHR, no `Basic` as written in the header) is redirected,
    # and on 2.41 any unauthenticated request: the Basic filter's own entry point,
    # DhisWebApiWebSecurityConfig#formLoginBasicAuthenticationEntryPoint (2.41.9 :667-668
    # and 2.42.5 :461-462 "/dhis-web-login" without the slash, 2.43.1 :450-451 "/login/").
    basic_login_path: str
    # Personal access token formats accepted (security/apikey/ApiTokenType.java).
    api_token_prefixes: tuple[str, ...]
    # Tracked entity search parameter for enrollment status (2.42 renamed programStatus).
    enrollment_status_param: str
    # Deprecated aliases still parsed (2.41 accepts ouMode/orgUnit/skipPaging).
    accepts_deprecated_tracker_aliases: bool
    # Tracker import message templates (sandbox data/tracker_messages.json, extracted from
    # dhis-api tracker/imports/validation/ValidationCode.java at the newest patch: 2.41.9,
    # 2.42.5, 2.43.1).
    tracker_message_catalog: str
    # Payload ids are typed `UID` (2.42+): a malformed uid is a Jackson error, HTTP 400.
    # 2.41 reads strings and its UidValidator reports E1048 instead.
    tracker_payload_uids_typed: bool
    # POST /api/tracker `async` (webapi/controller/tracker/imports/TrackerImportController.java):
    # 2.41.9 maps the sync import by the request condition `params = {"async=false"}`, an exact
    # string match, and any other value goes to the async handler; 2.42.5/2.43.1 bind it as the
    # boolean field of ImportRequestParams like the skip* flags.
    tracker_async_is_mapping_condition: bool
    # tracker/imports/validation/MessageFormatter.java renders enum arguments (value types,
    # statuses) by name from 2.42; 2.41 falls through to an empty string.
    tracker_messages_format_enums: bool
    # 2.43.1 DefaultTrackerImportService#calculatePayloadSize counts distinct failed uids plus
    # what survived validation, so children dropped without an error of their own are not
    # "ignored"; 2.41/2.42 count the whole flattened payload. The same change moves the job's
    # "Calculating Payload Size" stage after validation and the rule engine.
    tracker_ignored_excludes_dropped_children: bool
    # GET /api/tracker/trackedEntities/{uid} for a tracked entity outside the user's access:
    # 403 (2.41 DefaultTrackedEntityService#getTrackedEntity throws ForbiddenException), 404
    # from 2.42 (an access-filtered lookup). With a `program`, 2.41 checks its data read after
    # the lookup (canReadProgramAndTrackedEntityType), 2.42+ before it (validateProgramAccess).
    # The same divide for GET /api/tracker/enrollments|events/{uid}: 2.41 DefaultEnrollmentService
    # #getEnrollment / DefaultEventService#getEvent answer canRead's errors as a 403.
    tracker_invisible_entity_status: int
    # The tracker pages' `prevPage`/`nextPage` URL: 2.41.9 FieldFilterRequestHandler#getRequestURL
    # (:63-72) starts from HttpServletRequestPaths#getApiPath (:41-50: the servlet path `/api`
    # plus `/<n>` when the URI has `/api/<n>/`) and appends the path info, which under the
    # `/api/*` dispatcher holds that `/<n>/` again: `/api/41/41/tracker/…`. 2.42.5/2.43.1 start
    # from #getServletPath (FieldFilterRequestHandler :43-52), so the path is kept as sent.
    tracker_page_link_repeats_api_version: bool = False
    # /api/schemas' links (`href`, `apiEndpoint`, a reference property's): 2.41.9
    # DefaultLinkService#generateSchemaLinks(Schema) (:160-162) starts from
    # ContextService#getServletPath, `<root>/api` whatever the request's path; 2.42.5 / 2.43.1
    # (:162-164) from #getApiPath, which keeps a versioned path's `/<n>`: `/api/42/schemas/…`
    # links `<root>/api/42/…`.
    schema_links_keep_api_version: bool = False
    # GET /api/system/info carries `sessionTimeout` and `capability` (2.43:
    # dhis-api/.../system/SystemInfo.java).
    system_info_2_43_fields: bool = False
    # SystemInfo.revision and the `system.rev` of a metadata export: dhis-2/pom.xml writes
    # build.revision from `git rev-parse --short=7 HEAD` (antrun, 2.40.7 :1984, 2.41.9 :2000,
    # 2.42.5 :2027, 2.43.1 :2030), so it is the short hash of the emulated tag's commit.
    build_revision: str = "0000000"
    # GET /api/loginConfig: 2.41.9 LoginConfigController reads settings through
    # setting/SettingKey.java, whose keyApplicationIntro, keyApplicationNotification, the two
    # footers and loginPageTemplate default to null (so NON_NULL leaves them out), and
    # LoginConfigResponse has no password lengths; 2.42.5/2.43.1 read the translatable strings
    # (title, intro, notification, footers, popup) with `asString(key, "")`, the value set else ""
    # (an unset applicationTitle is "", not its "DHIS 2" default), and add
    # minPasswordLength/maxPasswordLength.
    login_config_from_setting_keys: bool = False
    # GET /api/userSettings?key=…: 2.41.9 UserSettingController#getUserSettingKey answers an
    # unknown key 404 "No user setting found with key: …"; 2.42.5/2.43.1 UserSettingsController
    # writes every requested key, an unknown one as "" (LazySettings#asJson).
    user_settings_unknown_key_not_found: bool = False
    # A request without credentials (no Authorization header the Basic filter reads): 2.42.5/
    # 2.43.1 set `exceptionHandling().authenticationEntryPoint(entryPoint())` on the /api chain
    # (security/config/DhisWebApiWebSecurityConfig.java 2.42.5 :439-440, 2.43.1 :428-429), and
    # Http401LoginUrlAuthenticationEntryPoint#commence answers an XHR request 401 in JSON
    # whatever the Accept header says and redirects any other; 2.41.9 sets none, so the Basic
    # entry point FormLoginBasicAuthenticationEntryPoint (:510-512) answers, as XML when asked,
    # and 401 too when the Authorization header merely contains "Basic".
    anonymous_entry_point_http401: bool = False
    # Which dhis2-core tag's setting keys and defaults the release serves (sandbox
    # data/settings/<tag>.json, scripts/settings_catalog.py): 2.41.9 setting/SettingKey.java and
    # user/UserSettingKey.java, 2.42.5/2.43.1 setting/SystemSettings.java and UserSettings.java
    # (2.43.1 adds analyticsWeeklyStart, keyCustomColor, keyCustomColorMobile, drops keyStyle
    # and six data import keys from the system settings).
    settings_catalog: str = "2.41.9"
    # The settings endpoints of 2.41.9 read the key enums: SystemSettingController drops unknown
    # and confidential keys (404 when none is left) and leaves out null defaults
    # (DefaultSystemSettingManager#getSystemSettings), UserSettingController and MeController
    # fall back to the system setting (DefaultUserSettingService); 2.42.5/2.43.1 write every key
    # asked for through LazySettings#toJson (an unknown one as "").
    settings_key_enums: bool = False
    # objectbundle/validation/SecurityCheck (E3000/E3001/E3002): 2.41.9 names the user by the
    # import's identifier (the generic PreheatIdentifier#getIdentifiersWithName); 2.42.5/2.43.1
    # by uid (the UserDetails overload).
    security_user_by_import_identifier: bool = False
    # `response.responseType` of a WebMessageUtils#jobConfigurationReport answer (POST
    # /api/metadata?async=true, POST|PUT /api/resourceTables/analytics): 2.41.9's
    # WebMessageResponse has none; 2.42.5/2.43.1 read
    # dxf2/scheduling/JobConfigurationWebMessageResponse#getResponseClassType ("JobConfiguration").
    job_configuration_response_type: str | None = "JobConfiguration"
    # POST /api/metadata?async=true: whether `jobParameters` still carries `userOverrideMode`
    # (dropped in 2.43.1: dxf2/metadata/MetadataImportParams.java).
    metadata_async_params_user_override_mode: bool = True
    # `response.responseType` of POST /api/apiToken: 2.41.9 AbstractWebMessageResponse names it
    # after the class ("ApiTokenCreationResponse"); 2.42.5/2.43.1 WebMessageResponse
    # #getResponseType reads ObjectReportWebMessageResponse#getResponseClassType, which
    # ApiTokenCreationResponse inherits ("ObjectReport").
    api_key_creation_response_type: str = "ObjectReport"
    # GET /api/me: the keys MeDto adds or drops (webapi/controller/user/MeDto.java): 2.41.9 still
    # writes `userCredentials` (MeController#getCurrentUser sets it) and has no
    # `emailVerified`/`twoFactorType`. The keys MeDto declares but nothing assigns are never
    # written at any release (2.42.5 `externalAccess`, 2.43.1 `canImpersonate` while
    # `switch_user_feature.enabled` is off), so they are not listed here.
    me_keys_added: tuple[str, ...] = ()
    me_keys_dropped: tuple[str, ...] = ()
    # GET /api/sharing: `meta.allowExternalAccess` and `object.externalAccess`, and POST honouring
    # `externalAccess` (webapi/controller/SharingController.java, webdomain/sharing/Meta.java and
    # SharingObject.java: present in 2.42.5 only, absent from 2.41.9 and 2.43.1); with it the
    # schemas' EXTERNALIZE authorities (security/AuthorityType.java, 2.42.5 only).
    sharing_external_access: bool = False
    # The 403 of /api/sharing (no read or manage access) and of /api/users/{uid}/disabled|enabled
    # (no update access), and of /api/users/{uid}/dataApprovalWorkflows (no read access):
    # 2.41.9 SharingController, UserController#checkCurrentUserCanModify and #getObjectProperty
    # throw Spring's AccessDeniedException (Update-/CreateAccessDeniedException), answered by
    # CrudControllerAdvice#accessDeniedExceptionHandler → WebMessageUtils#forbidden(String): no
    # errorCode; 2.42.5 and 2.43.1 throw feedback/ForbiddenException, whose default code is E1006.
    access_denied_error_code: str | None = None
    # orgUnitMode=ALL without F_TRACKED_ENTITY_INSTANCE_SEARCH_IN_ALL_ORGUNITS on the tracker
    # exports: tracker/export/OperationsParamsValidator#validateUserCanSearchOrgUnitModeALL
    # throws BadRequestException "Current user is not authorized to query across all
    # organisation units" at 2.41.9 (:87-92, 400 E1003), ForbiddenException "User is not
    # authorized to query across all organisation units" at 2.42.5 (:92-97) and 2.43.1
    # (dhis-tracker/…, :100-105): 403 E1006.
    tracker_org_unit_mode_all_forbidden: bool = False
    # X-XSS-Protection written by Spring Security's XXssProtectionHeaderWriter, whose default
    # follows the release's Spring Security (dhis-2/pom.xml `spring-security.version`): 5.8.16 at
    # 2.41.9 ENABLED_MODE_BLOCK, 6.5.1 at 2.42.5 and 6.5.10 at 2.43.1 DISABLED ("0").
    xss_protection_header: str = "1; mode=block"
    # CspFilter (webapi/filter/CspFilter.java, csp.enabled on by default) adds
    # `Content-Security-Policy: script-src 'none'; ` to answers whose request URL matches one of
    # security/utils/CspConstants#EXTERNAL_STATIC_CONTENT_URL_PATTERNS (Java patterns, matched
    # whole): 2.41.9 six of them (:38-54); 2.42.5 (:40-53) lists P_2 twice and leaves
    # fileResources/{uid}/data (P_3) out; 2.43.1 (:40-51) drops externalFileResources too.
    csp_script_none_urls: tuple[str, ...] = (
        r"^.+/events/files$", r"^.+trackedEntityInstance/[a-zA-Z\d]+/[a-zA-Z\d]+/image$",
        r"^.+/dataValues/files$",
        r"^.+messageConversations/[a-zA-Z\d]+/[a-zA-Z\d]+/attachments/[a-zA-Z\d]+$",
        r"^.+fileResources/[a-zA-Z\d]+/data$", r"^.+audits/files/[a-zA-Z\d]+$")
    # GET /api/fileResources/{uid}/data of a DATA_VALUE file: the 403 message
    # (webapi/controller/FileResourceController.java#getFileResourceData, 2.41.9 = 2.42.5;
    # 2.43.1 "File resource not found or not accessible: …").
    file_resource_forbidden_message: str = (
        "You don't have access to fileResource '{uid}' or this fileResource is not available "
        "from this endpoint")
    # The domains #checkSharing never serves from /api/fileResources/{uid}/data
    # (webapi/controller/FileResourceController.java: DATA_VALUE and PUSH_ANALYSIS at 2.41.9:220
    # and 2.42.5:223, DATA_VALUE only at 2.43.1:217).
    file_resource_unserved_domains: tuple[str, ...] = ("DATA_VALUE", "PUSH_ANALYSIS")
    # fileresource/FileResourceDomain.java, in declaration order (what an unbindable `domain`
    # lists): 2.43.1 has no PUSH_ANALYSIS.
    file_resource_domains: tuple[str, ...] = (
        "DATA_VALUE", "PUSH_ANALYSIS", "DOCUMENT", "MESSAGE_ATTACHMENT", "USER_AVATAR", "ORG_UNIT",
        "ICON", "JOB_DATA")
    # POST /api/fileResources `uid`: a String at 2.41.9 (FileResourceController.java:173) and
    # 2.42.5 (:176), kept as given; `@RequestParam UID` at 2.43.1 (:170), so Spring refuses a
    # malformed one (400, no errorCode). The same for the `@PathVariable uid` of
    # GET /api/fileResources/{uid} (with or without `fields`) and /{uid}/data (2.43.1
    # :101/:112/:128, Strings at 2.41.9 and 2.42.5).
    file_resource_uid_typed: bool = False
    # tracker/imports/validation/validator/ValidationUtils.java#validateImage: 2.41.9 and 2.42.5
    # report an IMAGE value whose format IS a valid image format (inverted condition); 2.43.1
    # reports one whose format is not.
    tracker_image_format_check_inverted: bool = True
    # The JDK a release's image runs (`jib.from.image`: 2.41.9 `dhis-web/dhis-web-portal/pom.xml`
    # and 2.42.5 `dhis-web-server/pom.xml` jre17, 2.43.1 `dhis-web-server/pom.xml` java21):
    # from JDK 19 (JDK-8282129) a regex `\b` without UNICODE_CHARACTER_CLASS takes only ASCII
    # word characters, as `\w` does, where JDK 17's `Pattern.Bound#isWord` took
    # `Character#isLetterOrDigit`. Read by DateUtils's DEFAULT_DATE_REGEX, which ends on `\b`
    # (tracker DATE and AGE values).
    regex_word_boundary_ascii: bool = False
    # Whether the async tracker import's "Tracker job added" carries a `Location` header:
    # 2.41.9's handler returns the WebMessage itself (`#asyncPostJsonTracker` :112, its
    # `setLocation` :150), which WebMessageControllerAdvice#beforeBodyWrite writes as
    # `getApiPath() + location`; 2.42.5/2.43.1's `#importJson` returns a ResponseEntity
    # (2.42.5 :186-191, 2.43.1 :184-189), which the advice's `supports` (the method's return
    # type) refuses, so there is none.
    tracker_job_location_header: bool = False
    # The message of String#substring's StringIndexOutOfBoundsException on that JDK: 17 (2.41.9,
    # 2.42.5) `String#checkBoundsBeginEnd` builds "begin b, end e, length n"; 21 (2.43.1) hands
    # the check to `Preconditions#checkFromToIndex` with SIOOBE_FORMATTER, "Range [b, e) out of
    # bounds for length n"; `new String(char[], int, int)` likewise (#checkBoundsOffCount: "offset o,
    # count c, length n" / "Range [o, o + c) out of bounds for length n"). Read by the datastore
    # `fields` parser (`core/datastore_fields.py`) and json-tree's `\u` escapes (`core/json_tree_text.py`).
    jdk_range_bounds_message: bool = False
    # MessageFormat's `{0}` of a Date on that JDK (`DateFormat.getDateTimeInstance(SHORT, SHORT)`,
    # en_US): JDK 17 (2.41.9, 2.42.5) "3/1/24, 1:30 PM"; from JDK 20 (CLDR 42, JDK-8284840) the
    # time's AM/PM follows a narrow no-break space (U+202F), "3/1/24, 1:30\u202fPM", on the JDK 21
    # of 2.43.1. Read by the E4013 messages of the org unit and data set hooks (`metadata/hooks.py`).
    jdk_short_time_narrow_space: bool = False
    # The JDK the release's image runs (2.41.9, 2.42.5: 17, the `tomcat:…-jre17` base; 2.43.1:
    # 21, `dhis-web-server/pom.xml` `jib.from.image` distroless/java21). Read where a JDK's own
    # code decides what is written: `HashMap(Map)`'s pre-sizing, from JDK 19 (JDK-8281631)
    # `tableSizeFor(ceil(s / 0.75))` (`core/java_hash.py#map_copy_capacity`, the order of
    # `Schema#getProperties` in `metadata/validation.py#schema_property_order`).
    jdk_major: int = 17
    # A tracked entity attribute's `blockedSearchOperators` / `preferredSearchOperator` (new
    # properties at 2.43.1) checked by TrackedEntityAttributeObjectBundleHook#validate: E4088,
    # E4081, E4082 (2.43.1 :93-126; `metadata/search_operators.py`).
    attribute_search_operators: bool = False
    # The devMessage of a BadSqlGrammarException's WebMessage (`WebMessageUtils#createWebMessage
    # (SQLException)`): 2.41.9 (:272-285) "SqlState: <state>"; 2.42.5 and 2.43.1 (:274-287) the
    # SQLException's own message. Read by analytics' SQL refusals (`sandbox/analytics/routes.py`).
    sql_error_dev_message_is_state: bool = False
    # The importing user among the tracker preheat's users by username
    # (`TrackerPreheat#getUserByUsername`): 2.42.5 and 2.43.1 `preheat/supplier/
    # CurrentUserSupplier` adds it; 2.41.9 has no such supplier (`DefaultTrackerPreheatService`
    # keeps it aside, `#setUser`), so a USERNAME data value naming it alone is not found.
    tracker_preheat_current_user: bool = False
    # A changed FILE_RESOURCE / IMAGE data value: 2.42.5 and 2.43.1 unassign the file it
    # replaces (`EventPersister#updateDataValue` :308-311, 2.43.1
    # `TrackerEventPersister#updateDataValue` :329-331, `SingleEventPersister` :271-273), 2.41.9
    # only assigns the new one
    # (`EventPersister#updateDataValues` :222-227).
    tracker_event_update_unassigns_old_file: bool = False
    # POST /api/tracker/enrollments/{uid}/note and /events/{uid}/note
    # (webapi/controller/tracker/imports/TrackerImportController.java#addNoteToEnrollment/
    # #addNoteToEvent: 2.42.5, 2.43.1; not mapped at 2.41.9).
    tracker_note_endpoints: bool = False
    # What a note is stored with as its `creator` (exported as `storedBy`), by those endpoints
    # and by POST /api/tracker alike: the importing user's username at 2.41.9
    # (tracker/imports/converter/NotesConverterService.java#from :74,
    # `preheat.getUsername()`) and 2.43.1 (tracker/imports/note/JdbcNoteStore.java#saveNote
    # :130 and tracker/imports/bundle/TrackerObjectsMapper.java#map :401, `user.getUsername()`;
    # its `tracker/imports/domain/Note` has no `storedBy`); the payload's `storedBy`, null
    # when none is sent, at 2.42.5 (JdbcNoteStore :110, TrackerObjectsMapper#map :320,
    # `note.getStoredBy()`).
    tracker_note_stored_by_user: bool = True
    # GET /api/tracker/trackedEntities|enrollments|events/{uid} of a soft-deleted object: 2.41.9
    # looks it up by `getByUid` (HibernateIdentifiableObjectStore, no `deleted` filter) and
    # answers it (`deleted: true`), its children read with includeDeleted=false
    # (DefaultTrackedEntityService#getTrackedEntity :217-247, DefaultEnrollmentService
    # #getEnrollment :80-96, DefaultEventService#getEvent :137-151); 2.42.5/2.43.1 read it
    # through the list query with `includeDeleted` false, so 404. No release binds an
    # `includeDeleted` parameter on these endpoints.
    tracker_single_read_keeps_deleted: bool = True
    # GET /api/potentialDuplicates/{uid} of an unknown uid: 2.41.9's DeduplicationController
    # "No potentialDuplicate records found with id '…'."; 2.42.5/2.43.1
    # NotFoundException(PotentialDuplicate.class, uid).
    potential_duplicate_not_found_legacy: bool = True
    # POST /api/potentialDuplicates, `#validatePotentialDuplicate`: 2.41.9
    # (webapi/controller/deduplication/DeduplicationController.java :216-231) checks each id is a
    # UID (400 "'x' is not valid value for property 'original'", :246-261, field by field), then
    # finds each tracked entity (soft-deleted ones too; 404 "No tracked entity found with id
    # 'x'.", :263-268) and asks canRead (403 "You don't have read access to 'x'.", :270-276),
    # the original before the duplicate, then the
    # pair (409); 2.42.5/2.43.1 (:206-217 / :203-214) the pair first, then
    # `TrackedEntityService#getTrackedEntity(UID)` (404 NotFoundException(TrackedEntity.class)).
    potential_duplicate_entities_first: bool = True
    # The data view org units analytics checks a query's org units against (E7120,
    # `DefaultAnalyticsSecurityManager#decideAccessDataViewOrganisationUnits`): 2.41.9 / 2.42.5
    # `User#getDataViewOrganisationUnits` (none: no check, :130-134 / :132-136); 2.43.1
    # `UserDetails#getUserDataOrgUnitIds` (:130-132), built from
    # `User#getDataViewOrganisationUnitsWithFallback` (`UserDetails#createUserDetails`
    # :191-194): a user without data view units is checked against the capture units.
    analytics_data_view_falls_back_to_capture: bool = False
    # /api/potentialDuplicates/{uid} binds the uid as `UID` in 2.42.5/2.43.1
    # (webapi/controller/tracker/deduplication/DeduplicationController.java
    # #getPotentialDuplicateById, :116-117 / :113-114); 2.41.9's controller takes a String.
    # The tracker export controllers bind `UID` at all three tags, so they need no field.
    potential_duplicate_path_uid_typed: bool = False
    # The class POST /api/potentialDuplicates binds its `@RequestBody` to (named by Jackson's
    # messages): 2.41.9 `org.hisp.dhis.deduplication.PotentialDuplicate`
    # (webapi/controller/deduplication/DeduplicationController.java :45), 2.42.5/2.43.1
    # `org.hisp.dhis.tracker.deduplication.PotentialDuplicate` (:53 / :51).
    potential_duplicate_class: str = "org.hisp.dhis.tracker.deduplication.PotentialDuplicate"
    # `Method#toGenericString` of the handler that binds that body, which Spring's "Required
    # request body is missing: …" names: 2.41.9 `webapi/controller/deduplication/
    # DeduplicationController.java#postPotentialDuplicate` (:132-140), 2.42.5/2.43.1
    # `webapi/controller/tracker/deduplication/` (:122-130 / :119-127), its throws reordered.
    potential_duplicate_handler: str = _POTENTIAL_DUPLICATE_HANDLER
    # The same for `POST /api/tracker` (JSON): the handler without `async=false` and the one
    # with it. 2.41.9 `webapi/controller/tracker/imports/TrackerImportController.java` maps two,
    # #asyncPostJsonTracker (:110-114) and #syncPostJsonTracker (`params = {"async=false"}`,
    # :154-159); 2.42.5/2.43.1 one, #importJson (:126-133 / :124-131).
    tracker_import_json_handlers: tuple[str, str] = (_TRACKER_IMPORT_JSON,) * 2
    # Event change logs carry the event's own fields (scheduledAt, occurredAt, geometry) with
    # `change.eventField` (2.42.5/2.43.1 EventPersister#logFieldChanges and
    # webapi/controller/tracker/view/EventChangeLog.java; 2.41.9's EventChangeLog has only
    # `dataValue`).
    tracker_event_field_change_logs: bool = False
    # The change log endpoints (webapi/controller/tracker/export/ChangeLogRequestParams.java):
    # 2.42.5/2.43.1 take one `filter` (RequestParamsValidator#validateFilter), order by
    # createdAt, username and attribute / change (the last `order` wins), and read the tracked
    # entity as its single read does (DefaultTrackedEntityChangeLogService#getTrackedEntityChangeLog
    # → TrackedEntityService#getTrackedEntity(uid, program, …)); 2.41.9 has no `filter`, orders
    # by createdAt only (the first `order`) and answers 404 for every refused read.
    tracker_change_log_filters: bool = False
    # The change logs' `page`/`pageSize`: 2.42.5/2.43.1 ChangeLogRequestParams binds them as
    # `Integer` (:56, :63), checked by PageParams#of after the request mapper; 2.41.9's as
    # `int page = 1`, `int pageSize = 50` (:47-49), checked first by the mapper
    # (RequestParamsValidator#validatePaginationBounds). No release pages them otherwise:
    # `paging`, `skipPaging`, `totalPages` change nothing.
    tracker_change_log_page_params: bool = False
    # GET /api/tracker/trackerEvents and /api/tracker/singleEvents (with /{uid} and
    # /{event}/changeLogs): 2.43.1 webapi/controller/tracker/export/trackerevent/
    # TrackerEventsExportController.java and singleevent/SingleEventsExportController.java;
    # neither exists at 2.41.9 or 2.42.5.
    tracker_split_event_endpoints: bool = False
    # Whether GET /api/tracker/enrollments/{uid} also needs metadata read of the program's
    # tracked entity type (sandbox/tracker/export/scope.py#type_readable): 2.43.1
    # EnrollmentOperationParamsMapper#getTrackerPrograms (:113) ->
    # TrackerProgramService#getTrackerProgramsWithDataReadAccess (:115-125) asks canRead and
    # canDataRead; 2.42.5 DefaultTrackerAccessManager#canRead(Enrollment) (:203-208) data read
    # only (2.41.9's single read answers canRead's 403 instead).
    tracker_enrollment_read_needs_type_metadata: bool = False
    # How POST /api/dataValueSets (JSON) fails on a body it cannot read (sandbox/aggregate/
    # body.py): "exception_message" (2.41.9 DefaultDataValueSetService#importDataValueSet :630,
    # "The import process failed: " and the exception's message), "post_condition" (2.42.5 :644:
    # the readHeader stage swallows the exception, JobProgress#nonNullStagePostCondition :257
    # "Post-condition was null"), "json_tree" (2.43.1 DataEntryInput#fromJson :230-234: json-tree
    # reads the body, its exception leaves the controller). It also says how the members bind
    # (sandbox/aggregate/binding.py): Jackson's String and Boolean deserializers into
    # DataValueSet/DataValue (2.41.9, 2.42.5: numbers as written, `followup`), or json-tree's
    # typed getters in DataEntryInput#fromJson's order (2.43.1 :230-310: a member of another type
    # a 500, `followUp`, the body's dryRun applied, no storedBy).
    data_value_set_body: str = "exception_message"
    # The start of the 400 for an unknown `orgUnit` of the event exports:
    # EventOperationParamsMapper#validateRequestedOrgUnit (2.41.9 :203 "Org unit …", 2.42.5
    # :210-211 "Organisation unit …"; 2.43.1 TrackerEventOperationParamsMapper :210-211,
    # SingleEventOperationParamsMapper :138-139).
    tracker_event_unknown_org_unit: str = "Org unit is specified but does not exist: "
    # EventMapper.ORDERABLE_FIELDS (webapi/controller/tracker/export/event/) keeps the
    # deprecated `followup` beside `followUp` at 2.41.9 (:76) only.
    tracker_event_order_followup: bool = False
    # How validator/event/DateValidator.java treats expired events (sandbox/tracker/validation/
    # expiry.py): "completed_at_required" (2.41.9: E1042 for a COMPLETED event without
    # completedAt, then E1043, then the expiry period E1046/E1047), "payload_completed_at"
    # (2.42.5: no E1042, the payload's completedAt), "stored_completed_at" (2.43.1: the expiry
    # period first, then E1043 from the stored completion date of an event already completed).
    tracker_event_expiry: str = "completed_at_required"
    # Change logs are written only for a tracked entity type / program with `enableChangeLog`
    # (2.43.1 tracker/imports/bundle/persister/ChangeLogAccumulator.java#add…ChangeLog, the
    # Program and TrackedEntityType property, false unless set); 2.41.9/2.42.5 log every change
    # while `changelog.tracker` is on (the default).
    tracker_change_logs_opt_in: bool = False
    # 2.41.9 AbstractTrackerPersister#delete / #saveOrUpdate (:423, :481) log an attribute
    # value's change only for a tracked entity type with `allowAuditLog` (false unless set;
    # `TrackedEntityType.java` :69); data values are logged whatever it says. 2.42.5 logs every
    # attribute change (`changelog.tracker` on), 2.43.1 by `enableChangeLog` (above).
    tracker_attribute_change_logs_need_audit_log: bool = True
    # Password rules of user imports (E4005): 2.42.5+ chain a lower-case rule
    # (user/DefaultPasswordValidationService.java, LowerCasePatternValidationRule.java, dhis2-core
    # #19574); 2.41.9 has digit, upper case, special character, dictionary, username/e-mail and history.
    password_requires_lower_case: bool = True
    # Which set of metadata schema facts the release reads (what it stores, requires, keeps
    # unique): "2.41", or "2.42" for the `in2_42` overlay of the facts (2.42 maps
    # TrackedEntityType.shortName not-null and unique, TrackedEntityType.hbm.xml; caps the
    # shortName of stages, sections, options and visualizations at 50, BaseNameableObject;
    # stores User.name). Both the connector (connector/metadata/schemas/index.json `releases`)
    # and the sandbox (data/schema_facts.json) read the same facts.
    schema_facts: str = "2.41"
    # Which dhis2-core tag's schema registry the release serves: the descriptors
    # schema/DefaultSchemaService.java#init registers, with their authorities
    # (schema/descriptors/*SchemaDescriptor.java; sandbox data/schema_registry/<tag>.json,
    # scripts/schema_registry.py). 2.41.9's smsCommand has no READ authority and its
    # oAuth2Client no UPDATE; EXTERNALIZE authorities exist at 2.42.5 only; 2.43.1 drops
    # dataInputPeriod, externalFileResource and pushAnalysis and registers mapView.
    schema_registry: str = "2.41.9"
    # POST/PUT /api/categoryCombos regenerates the option combos: 2.41 only adds the missing
    # (DefaultCategoryService#updateOptionCombos), 2.42+ also renames and deletes the obsolete
    # (DefaultCategoryOptionComboGenerateService#addAndPruneOptionCombos; CategoryComboController).
    category_combo_save_prunes_option_combos: bool = True
    # POST/PUT /api/maintenance/categoryOptionComboUpdate answers 204 without a body (2.41, 2.42)
    # or 200 with WebMessageUtils#ok (2.43: MaintenanceController#updateCategoryOptionCombos).
    maintenance_answers_web_message: bool = False
    # Endpoints guarded by an authority (maintenance, metadata versions): @PreAuthorize (2.41:
    # Spring's "Access is denied") or @RequiresAuthority (2.42+: AuthorityInterceptor's message).
    # The interceptor refuses in preHandle, before request parameters are bound; @PreAuthorize
    # runs around the method, after them.
    authority_interceptor_message: bool = True
    # Metadata controllers with a class-level `@RequiresAuthority`, which AuthorityInterceptor
    # checks before every handler method of the class (plural, the annotation's `anyOf`, whether
    # the class is an AbstractCrudController mapping the writes too rather than an
    # AbstractFullReadOnlyController): 2.42.5 `security/oauth/OAuth2ClientController.java` :66,
    # `OAuth2AuthorizationController.java` :57, `OAuth2AuthorizationConsentController.java` :56;
    # 2.43.1 :63, :54, :53. 2.41.9's `OAuth2ClientController` has none (E1006 from canRead).
    metadata_controller_authorities: tuple[tuple[str, tuple[str, ...], bool], ...] = ()
    # The fields of the tracker domain Attribute's toString (E1075 args): 2.41.9 attribute,
    # code, displayName, createdAt, updatedAt, valueType, value; 2.42.5 attribute, storedBy,
    # value; 2.43.1 attribute, value (tracker/imports/domain/Attribute.java).
    tracker_attribute_fields: tuple[str, ...] = ("attribute", "storedBy", "value")
    # Which field lists the tracker domain objects' toString prints in error args
    # (sandbox/tracker/validation/domain_text.py: tracker/imports/domain/*.java at 2.41.9,
    # 2.42.5 and 2.43.1, where events split into TrackerEvent and SingleEvent).
    tracker_domain_layout: str = "2.42"
    # Events of programs without registration: 2.41.9 / 2.42.5 attach them to the program's
    # hidden enrollment (preprocess/EventWithoutRegistrationPreProcessor.java); 2.43.1 has no
    # such preprocessor and imports them as SingleEvents with no enrollment
    # (tracker/imports/ParamsConverter#buildSingleEvents, domain/SingleEvent#builderFromEvent
    # drops a payload `enrollment`; tracker/model/SingleEvent.java has none), so the export
    # (webapi/controller/tracker/export/event/EventMapper#map(SingleEvent)) shows none.
    tracker_single_events: bool = False
    # The metadata filter operator `!empty` (query/operators/NotEmptyOperator, 2.42+; not a case
    # of 2.41.9's DefaultJpaQueryParser#createFilter), and the same rewrite of EmptyOperator#test
    # that tests a text's emptiness in memory (2.42.5 :64-70; 2.41.9 :60-77 only collections and
    # maps).
    metadata_filter_not_empty: bool = True
    # A metadata filter's argument: 2.41.9 DefaultJpaQueryParser#parse (:65-85) takes the rest of
    # the filter text after `path:op:` (`code:eq:VN:` compares with "VN:"); 2.42.5/2.43.1
    # DefaultQueryParser#parse (:63-93) joins the parts of `split(":")`, which dropped the
    # trailing empty ones ("VN").
    metadata_filter_arg_as_written: bool = False
    # A metadata filter on `identifiable`: 2.42.5/2.43.1 DefaultQueryParser#createFilter (:104)
    # makes it the virtual filter whatever the parts (`identifiable:null`), with no property, so
    # `in`/`!in` fail on `#parseValues`' `property.isCollection()` (500); 2.41.9
    # DefaultJpaQueryParser#parse (:72-82) special-cases it only with an argument
    # (`identifiable:null` is "Unknown path property: identifiable") and reads `in` items as
    # the columns'.
    metadata_filter_identifiable_virtual: bool = True
    # 2.42.5/2.43.1 DefaultQueryParser#rewriteFilter (:96-100, called by #parse :71): a filter
    # that starts `attributeValues.attribute.id:eq:` becomes `<the text after its last :>:!null`,
    # the attribute filter "has a value for that attribute" (a text that is no UID is then
    # "Unknown path property: …"); 2.41.9 DefaultJpaQueryParser#parse reads it as the path it is.
    metadata_filter_attribute_id_rewritten: bool = True
    # A metadata filter on a collection that the in-memory engine runs (2.41.9
    # DefaultQueryPlanner#planQuery :71-81 puts every filter there under rootJunction=OR with
    # more than one, #getQuery :222-230 one through a reference or not persisted): 2.41.9
    # InMemoryQueryEngine#testAnd/#testOr (:146-196) test each item of the collection with the
    # operator, any matching, where the database compares the size; 2.42.5/2.43.1
    # #filterMatch hands the whole collection to the operator, its size in memory too.
    metadata_memory_filter_tests_collection_items: bool = False
    # The `GET /api/{plural}` lists whose controller builds the query itself, outside
    # AbstractFullReadOnlyController#getEntityList's BadRequestException.on(QueryParserException)
    # (400 E1003), so a refused filter stays CrudControllerAdvice#queryExceptionHandler's 409
    # without errorCode: 2.41.9's own #getEntityList of UserController (:162-192, #makeQuery's
    # getQueryFromUrl :218), ProgramController (:86-97), InterpretationController (:100-112),
    # MapViewController (:118-127), MessageConversationController (:177-194); 2.42.5/2.43.1
    # override none of them.
    metadata_list_filters_unwrapped: frozenset[str] = frozenset()
    # The `GET /api/{plural}` lists whose controller pages through its own Pager, so a
    # `pageSize` of 0 or less is clamped to 1 before the query (sandbox/metadata/list_limits.py):
    # 2.41.9 UserController#makePager (:194-199); the other lists, and 2.42.5/2.43.1's users,
    # put the size on the JPA query unclamped.
    metadata_list_self_paged: frozenset[str] = frozenset()
    # An attribute filter `ref.AbcDefGhi12`: 2.41.9 InMemoryQueryEngine#getValue (:209-216) walks
    # to the reference and reads its value for the attribute; 2.42.5/2.43.1
    # #filterMatchAttribute (:212-216 / :258-262) look the whole path up as an attribute id,
    # which finds nothing (null).
    metadata_attribute_filter_walks_path: bool = False
    # A metadata list or export of dashboards (JpaCriteriaQueryEngine#query / #count) asks
    # the store's sharing predicates of superusers too: 2.41.9 calls
    # InternalHibernateGenericStoreImpl#getSharingPredicates without a superuser check
    # (JpaCriteriaQueryEngine.java :120-125, :146-157, :220-228), and #sharingEnabled answers
    # `forceAcl()` (Dashboard.class.isAssignableFrom(clazz), :277-290) before it looks at
    # `isSuper`; 2.42.5/2.43.1 #buildSharingFilters return first for a superuser (2.42.5
    # :143, 2.43.1 :156).
    dashboard_lists_shared_for_superusers: bool = False
    # A metadata list's paging parameters: 2.42.5/2.43.1 bind GetObjectListParams (int page,
    # int pageSize, boolean paging), a bad value 400 "Value 'x' is not valid for parameter
    # page. It should be of type int" (CrudControllerAdvice#handleBindException); 2.41.9 reads
    # WebOptions (an unparsable number is the default, paging is Boolean.parseBoolean). The
    # beans (GetObjectListParams, a single object's GetObjectParams) also take WebDataBinder's
    # `!name`, `_name` and `name[]` (`sandbox/core/web_data_binder.py`); 2.41's reads do not.
    metadata_list_params_bound: bool = True
    # CategoryOptionComboObjectBundleHook (2.42+: E1122/E1133 on imported option combos).
    category_option_combo_hook: bool = True
    # An imported option combo without a category combo: 2.42.5's DefaultCategoryService
    # #validate(CategoryOptionCombo) reports its own E1133 (the uid, after the hook's with the
    # name); 2.43.1's passes the null combo on, a NullPointerException that ends the import
    # (sandbox/metadata/option_combo_hook.py).
    category_option_combo_validate_npe: bool = False
    # 2.43.1 CategoryOptionComboObjectBundleHook#checkFullCatOptComboSetProvided: the payload
    # holds every option combo of the category combo it names (E1110, E1130).
    category_option_combo_full_set: bool = False
    # ProgramRuleAction#hasNotification: 2.41.9 `StringUtils.isNotBlank(templateUid)`, 2.42.5 and
    # 2.43.1 `getTemplateUid() != null`, so a blank `templateUid` is E4035 on 2.41 and a template
    # looked up (E4034) from 2.42 (NotificationProgramRuleActionValidator).
    rule_action_blank_template_is_none: bool = False
    # Enum constants the release has beyond the schema facts (read from 2.41.9 and 2.42.5), each
    # as (enum klass, constant, the constant it follows in the enum's declaration, which is the
    # order Jackson's message and /api/schemas list them in): 2.43.1
    # dhis-api/.../programrule/ProgramRuleActionType.java adds SCHEDULEEVENT after
    # ERRORONCOMPLETE.
    enum_constants_added: tuple[tuple[str, str, str], ...] = ()
    # Enum constants of the schema facts the release no longer declares, as (enum klass,
    # constant): 2.43.1 dhis-api/.../common/ValueType.java has no TRACKER_ASSOCIATE (2.41.9 :70,
    # 2.42.5 :75), so Jackson refuses it like any unknown constant and /api/schemas leaves it out.
    enum_constants_removed: tuple[tuple[str, str], ...] = ()
    # The veto of a Category that a CategoryCombo lists: 2.41.9 and 2.42.5
    # category/CategoryComboDeletionHandler#allowDeleteCategory (2.41.9 :51-58, 2.42.5 :54-61)
    # walks the combos and names the first, "CategoryCombo (<name>)"; 2.43.1 (:52-55) asks
    # `vetoIfExists(VETO, …)` with the handler's plain VETO, "CategoryCombo".
    category_veto_names_combo: bool = True
    # A deleted option combo's CategoryCombo deletion handler: 2.41.9
    # category/CategoryComboDeletionHandler#deleteCategoryOptionCombo (:60-65) removes it from
    # every category combo and saves each with `updateNoAcl` (lastUpdated, lastUpdatedBy);
    # 2.42.5 (:63-70) and 2.43.1 (:57-64) save only the option combo's own combo, and only when
    # its `optionCombos` still holds it (a combo being deleted already dropped them).
    option_combo_deletion_updates_every_combo: bool = False
    # ProgramObjectBundleHook#validateCategoryMappings (2.42.5, 2.43.1; none at 2.41.9).
    program_category_mappings: bool = True
    # CategoryComboObjectBundleHook#checkIsValid (2.42.5, 2.43.1; 2.41.9 checks only E1120):
    # E1126–E1128 (category/DefaultCategoryService#validate).
    category_combo_limits: bool = True
    # 2.41.9 still reads a legacy `userCredentials` object into the user before the hooks
    # (User#populateUserCredentialsDtoFields, called by UserObjectBundleHook#validate), and
    # UserController#putJsonObject copies it onto the body after the lookup, before canUpdate
    # (#populateUserCredentialsDtoCopyOnlyChanges) and UserController#postObject onto the body
    # before any check (#populateUserCredentialsDtoFields, :311); 2.42.5 and 2.43.1 have no such
    # property.
    user_credentials_input: bool = False
    # GeoJsonAttributesCheck#validateGeoJsonValue: a value that does not read is E6004 named by
    # the attribute id on 2.41.9 and by the value itself on 2.42.5 and 2.43.1.
    geojson_parse_error_names_value: bool = True
    # 2.43.1 GeoJsonAttributesCheck#validateGeoJsonValue (:150-175) catches geojson-jackson's
    # InvalidTypeIdException (no `type`, a `type` that names no GeoJSON object, a value that is
    # no object) apart: E6005 named by the value, where 2.41.9 and 2.42.5 have E6004 for every
    # value that does not read.
    geojson_type_id_e6005: bool = False
    # DataElementObjectBundleHook#valueTypeChangeValidation (2.42.5, 2.43.1; not at 2.41.9):
    # E1121 for a value type change of a data element with data values.
    data_element_value_type_lock: bool = True
    # E5002 of an attribute value (metadata/objectbundle/validation/ReferencesCheck.java
    # #checkAttributeValues): 2.41.9 looks the attribute up by the import's identifier and names
    # it "[id] (Attribute)"; 2.42.5/2.43.1 read `AttributeValues` (ids in TreeMap order,
    # attribute/LazyAttributeValues.java), look each id up by UID and print the bare id.
    metadata_attribute_values_by_uid: bool = True
    # The metadata types whose class overrides `getAttributeValues()` with
    # `AttributeValues.empty()` (2.43.1 only: `category/CategoryCombo.java` :406-408,
    # `dashboard/Dashboard.java` :400-402, `DashboardItem.java` :617-619,
    # `dataapproval/DataApprovalLevel.java` :361-363, `DataApprovalWorkflow.java` :339-341,
    # `indicator/IndicatorGroupSet.java` :440-442, `legend/Legend.java` :400-402): the preheat
    # never parses the values sent to them (`metadata/attribute_values.py#preheat_read_failure`).
    attribute_values_empty_types: frozenset[str] = frozenset()
    # The security validators of the tracker import as 2.43.1 rewrote them
    # (tracker/imports/validation/validator/): the tracked entity one reports the codes
    # `TrackerAccessManager#canCreate/#canUpdate/#canDelete(TrackedEntity)` return (E1000, E1001,
    # E1323, E1324, args the user uid and a list) where 2.41.9/2.42.5 report E1001/E1000
    # themselves and E1003 when `canWrite` fails; events split into
    # `SecurityTrackerEventValidator` and `SecuritySingleEventValidator`, which check the
    # payload's attribute option combo (E1099) on every strategy (2.41.9/2.42.5: the payload's
    # on CREATE, the stored one on UPDATE/DELETE) and single events in the capture scope only;
    # enrollments check their attribute option combo too.
    tracker_security_split: bool = False
    # What the tracker's "search scope" checks mean (import validators, access manager,
    # ownership of OPEN/AUDITED programs, requested export org units, ACCESSIBLE mode, the
    # ownership transfer): 2.42.5/2.43.1 the capture units and the search units together
    # (`UserDetails#isInUserEffectiveSearchOrgUnitHierarchy`, `userEffectiveSearchOrgUnitIds`);
    # 2.41.9 the search units, or the capture units only when the user has none
    # (`User#getTeiSearchOrganisationUnitsWithFallback`,
    # `DefaultOrganisationUnitService#isInUserSearchHierarchy`).
    tracker_search_scope_adds_capture_units: bool = True
    # The checks of the temporary ownership grant and the ownership transfer (OwnershipChecks).
    tracker_ownership_checks: OwnershipChecks = OwnershipChecks(
        deprecated_tracked_entity_param=True, transfer_org_unit_params=("ou",),
        transfer_reads_through_export=False,
        transfer_denied_error_code=False, validated=False)
    # objectbundle/validation/OAuth2RuntimeStateCheck.java opens the DELETE chain of
    # dxf2/config/ServiceConfig#validatorsByImportStrategy (2.42.5, 2.43.1; 2.41.9 has neither
    # the check nor the OAuth2 authorization types).
    metadata_oauth2_runtime_state_check: bool = True
    # GET /api/{plural}/{uid} and /{uid}/{property} are mapped `/{uid:[a-zA-Z0-9]{11}}`
    # (webapi/controller/AbstractFullReadOnlyController.java, 2.42.5 :398/:435, 2.43.1
    # :402/:439; 2.41.9 `/{uid}`, :411): another id matches only AbstractCrudController's
    # unpatterned PUT/DELETE mappings, so Spring throws HttpRequestMethodNotSupportedException
    # (RequestMappingInfoHandlerMapping#handleNoMatch) and CrudControllerAdvice answers 405.
    object_get_uid_pattern: bool = True
    # 2.43.1 AbstractFullReadOnlyController#getObject and #getObjectProperty bind the mapped id
    # as `@PathVariable("uid") UID uid` (:404/:441; 2.42.5 `String pvUid` :400/:437): an id the
    # pattern admits but UID#of refuses (a digit first, `1bcdefghijk`) is a
    # MethodArgumentTypeMismatchException, 400 "Value 'x' is not valid for path parameter uid.
    # <UID's message>", before canRead and cachePrivate.
    object_get_uid_typed: bool = False
    # AbstractCrudController's collection endpoints bind `uid` and `itemId` as `UID` (2.43.1
    # :562-669; 2.41.9/2.42.5 Strings): an id that UID#of refuses is a
    # MethodArgumentTypeMismatchException, 400 "Value 'x' is not valid for path parameter
    # itemId. <UID's message>" (CrudControllerAdvice#methodArgumentTypeMismatchException).
    crud_path_uids_typed: bool = False
    # 2.43.1 UserController#updateUserGroups (PUT :646-655, `UserGroup::getUID`; a JSON patch's
    # `UID.of(node.get("id").asText())` :851-874) hands DefaultUserGroupService#updateUserGroups
    # `UID`s: a group id UID#of refuses is an IllegalArgumentException, which
    # CrudControllerAdvice#illegalArgumentExceptionHandler answers 400 without errorCode, the
    # user already updated. 2.41.9/2.42.5 pass Strings and skip an unknown group.
    user_group_ids_as_uids: bool = False
    # GET /api/organisationUnits: 2.42.5/2.43.1 read `level`, `maxLevel`, `withinUserHierarchy`,
    # `withinDataViewUserHierarchy`, `withinUserSearchHierarchy`, `userOnly`,
    # `userDataViewOnly`, `userDataViewFallback` as filters that combine
    # (OrganisationUnitController#getAdditionalFilters :347-393; the hierarchies a union);
    # 2.41.9 maps `userOnly=true`, `userDataViewOnly=true` and `userDataViewFallback=true` to
    # methods of their own that ignore the rest, and `#getObjectList` (:391-427) takes the
    # capture units for `withinUserHierarchy`, else the search units (capture ones without
    # any) for `withinUserSearchHierarchy`.
    org_unit_list_params_combined: bool = True
    # GET /api/dataValueSets: 2.43.1 goes through DataExportPipeline to
    # dxf2/datavalueset/DefaultDataExportService#validateFilters (:425-437), which stops at the
    # first failure in the order E2001, E2002, E2006, E2003, E2004, E2007, E2009 (no E2005,
    # no E2008) and counts only periods, period types, start+end and includedDate as period
    # filters (dhis-api datavalue/DataExportParams#hasPeriodFilters :114-119: not lastUpdated);
    # 2.41.9/2.42.5 DefaultDataValueSetService#validate lets the last failing rule win and
    # takes lastUpdated or lastUpdatedDuration instead of a period.
    data_export_first_failure: bool = False
    # POST /api/metadata with objects and an importStrategy that has no validation chain
    # (SYNC and the legacy names; dxf2/config/ServiceConfig#validatorsByImportStrategy) ends in
    # a NullPointerException, answered 500 with its message. 2.41.9's NoopJobProgress#runStage
    # swallows the one of ValidationRunner#executeValidationChain and
    # DefaultMetadataImportService#importMetadata passes the null report to
    # ImportReport#addTypeReports; 2.42.5/2.43.1's transitory RecordingJobProgress rethrows the
    # first one from `nonNullStagePostCondition`.
    metadata_import_no_chain_message: str = (
        'Cannot invoke "java.util.List.iterator()" because "validationChecks" is null')
    # What the 500 of an exception thrown while the bundle is validated (an object-bundle hook's
    # NullPointerException, say) says: 2.41.9's NoopJobProgress#runStage swallows it and
    # ImportReport#addTypeReports reads the null report (this message); None from 2.42.5, whose
    # RecordingJobProgress rethrows it, so the exception's own message (DefaultMetadataImportService
    # #importMetadata, 2.41.9 :107-113, 2.42.5 and 2.43.1 :114-121).
    metadata_validation_failure_message: str | None = None
    # The event validator chain as 2.43.1 rewrote it (tracker/imports/validation/validator/
    # event/EventValidator.java): MandatoryFieldsValidator asks a tracker event for its
    # enrollment (E1123 "enrollment", where 2.41.9/2.42.5 DataRelationsValidator reported E1033);
    # UpdatableFieldsValidator checks the enrollment before the stage; DataRelationsValidator
    # reports E1089, E1029, then E1313/E1079 for tracker events and no longer the attribute
    # option combo, which CategoryOptionComboValidator checks as its own step after
    # BlockEntryFormAfterCompletionValidator (E1326) and before StatusValidator (E1318), so a
    # relations error stops the chain before the combo is looked at.
    tracker_event_validators_split: bool = False
    # system/notification/Notification.java#getId: 2.41.9 a uid drawn per notification
    # (`CodeGenerator#generateUid` in the constructor, :84, :106-108); 2.42.5 and 2.43.1
    # `CodeGenerator#generateUid(timestamp)` (:88-91), a function of the notification's
    # millisecond, so two of one millisecond share an id and a gist read of the job
    # (DefaultNotifier#getGistNotificationsByJobId) keeps only the newest; with `uid` and
    # `time` no longer fields, Jackson writes them after the field-backed properties.
    notification_id_from_timestamp: bool = False
    # event/RepeatedEventsValidator#validateNotMultipleEvents (2.41.9) looks at every event of
    # the payload for a stored event in the same non-repeatable stage, also events already
    # invalid; 2.42.5/2.43.1 only at the valid ones.
    tracker_repeated_events_checks_invalid: bool = False
    # tracker/imports/validation/validator/enrollment/DateValidator.java: 2.41.9 reports a
    # missing enrolledAt (E1025) or occurredAt (E1023) with the null date as its one argument
    # (message "NULL", args [null]); 2.42.5/2.43.1 with none.
    tracker_enrollment_dates_null_arg: bool = False
    # event/DataRelationsValidator#validateProgramWithRegistrationHasTrackedEntity: 2.41.9
    # passes the Event itself as E1313's argument (args its Lombok toString) and its
    # #enrollmentFromEventHasTrackedEntity has no shortcut for a missing enrollment, so an
    # event of a registration program without one gets E1313 before E1033; 2.42.5/2.43.1 pass
    # the uid and skip the check without an enrollment.
    tracker_e1313_event_arg: bool = False
    # Who a written tracker object's storedBy names. "importer_every_write" (2.41.9
    # TrackedEntityTrackerConverterService, AbstractTrackerPersister, EventPersister: the
    # importing user on each write of a tracked entity, each change of an attribute or data value,
    # on creation of an enrollment or event); "payload_on_create" (2.42.5 TrackerObjectsMapper:
    # the payload's on creation of a tracked entity, enrollment or event, an attribute value
    # the payload's on each change, a data value the user on creation); "importer_on_create"
    # (2.43.1: the user on creation, an attribute value the user on each change).
    tracker_stored_by: str = "importer_every_write"
    # The completedAt of an enrollment whose status changes to COMPLETED or CANCELLED (on
    # creation too, a new enrollment being ACTIVE): 2.41.9 EnrollmentTrackerConverterService
    # #from (:163-178) now, whatever the payload says; 2.42.5/2.43.1 TrackerObjectsMapper
    # #map(enrollment) (:146-166) the payload's `completedAt`, now without one.
    tracker_enrollment_completed_at_from_payload: bool = False
    # The stamps of a new or changed event data value. "payload_updated_at" (2.41.9
    # EventPersister#getAuditAndDateParameters :276-307, #handleDataValues :211-231): its
    # lastUpdated the payload's `updatedAt` (now without one), no createdBy/updatedBy written
    # (a changed value keeps what it had); "importer" (2.42.5 EventPersister#saveDataValue
    # :278-288 / #updateDataValue :305-306, 2.43.1 TrackerEventPersister#saveDataValue :300-307 /
    # #updateDataValue :326-327, SingleEventPersister alike): now, and
    # the importing user as createdBy (on creation) and updatedBy.
    tracker_data_value_stamps: str = "payload_updated_at"
    # A blank (whitespace only, `StringUtils#isBlank`) value sent for a stored event data value.
    # True (2.41.9 EventPersister#handleDataValues :196-242 with #isUpdate/#isDeletion
    # :262-274): `isUpdate` compares the texts and `isDeletion` sets the change log type to
    # DELETE, but only an empty text (`StringUtils#isEmpty`) removes the value, so the blank
    # text is written; False (2.42.5 EventPersister#isUpdate :355-359 and #isDeletion :349-353,
    # 2.43.1 TrackerEventPersister :372-382, SingleEventPersister :311-321): no update of a blank
    # value, the stored one deleted. A blank value with nothing stored is never written.
    tracker_blank_data_value_written: bool = True
    # Whether a new or changed event data value takes the payload's `providedElsewhere`. False
    # (2.41.9 EventPersister#handleDataValues :196-242 and #getAuditAndDateParameters
    # :276-307 never set it: a new value keeps EventDataValue's `false`, a changed one the
    # stored flag; only the change log records the payload's); True (2.42.5
    # EventPersister#saveDataValue :278-288 / #updateDataValue :313, 2.43.1
    # TrackerEventPersister :310/:334, SingleEventPersister :252/:276).
    tracker_data_value_provided_elsewhere_written: bool = False
    # What a reservation whose key is its generated segment alone (the LIKE value `%`) counts
    # as used among the attribute's stored values (HibernateReservedValueStore
    # #getNumberOfUsedValues): True every one, a null value too (2.41.9 :121-155, 2.43.1
    # :123-157, `count(*)` without `LIKE` for `%`); False those `LIKE '%'` matches, no null
    # value (2.42.5 :123-151).
    reserved_values_bare_key_counts_every_value: bool = True
    # Whether storing a generated attribute's value takes it out of the reserved values at once:
    # True at 2.42.5 (AbstractTrackerPersister#handleReservedValue :543-548, called for a new or
    # changed value at :462: `ReservedValueService#useReservedValue`); 2.41.9 has no such call
    # and 2.43.1 removed it ("Remove synchronous DELETE from reserved value", DHIS2-21627): the
    # reservation stays until it expires or the daily RemoveUsedOrExpiredReservedValuesJob.
    tracker_stored_value_leaves_reserved_pool: bool = False
    # The ISO suffixes of the financial-year period types (dhis-api period/PeriodTypeEnum.java,
    # Financial*PeriodType.java, calendar/DateUnitType.java): April, July, Oct and Nov at
    # 2.41.9; 2.42.5 adds FinancialSeptember ("Sep"); 2.43.1 FinancialFebruary ("Feb") and
    # FinancialAugust ("Aug").
    financial_year_period_types: frozenset[str] = frozenset({"April", "July", "Oct", "Nov"})
    # THIS_/LAST_FINANCIAL_YEAR and LAST_5_/LAST_10_FINANCIAL_YEARS from the request's relative
    # period date (analytics' `relativePeriodDate`): 2.43.1 period/RelativePeriods.java
    # #getRelativePeriods hands its DateField on (:415) to #getRelativeFinancialPeriods
    # (:809-815); 2.41.9 (:392, :780-782) and 2.42.5 (:394, :782-784) call it without one and
    # it takes `DateField.withDefaults()`, today, whatever the date asked.
    financial_relative_periods_dated: bool = False
    # The ids of GET /api/dataValueSets kept as given: 2.43.1 DefaultDataExportService
    # #decodeParams/#decodeIds (:348-418) maps each id to a UID unlooked-up, so an unknown one
    # counts as a filter, passes #validateAccess (its store queries find no row, :310-376)
    # and matches nothing; 2.41.9/2.42.5 DefaultDataValueSetService#getFromUrl (2.41.9
    # :183-266, 2.42.5 :184-267) reads them through IdentifiableObjectManager#getObjects
    # (store#getByUid with the user's sharing predicates), which drops the unknown and the
    # unshared ones before #validate counts them.
    data_export_ids_unresolved: bool = False
    # GET /api/dataValueSets' id decoding and access checks at 2.43.1: DefaultDataExportService
    # #decodeIds (:402-418) reads each filter id with UID::of unless `inputUseCodeFallback`
    # (400 for one that is no UID); #validateAccess (:445-474) refuses every unreadable data
    # set at once (E2010 "…data set(s): `[a, b]`", ErrorCode :162) and every org unit outside
    # the user's capture units (HibernateDataExportStore#getOrgUnitsNotInUserHierarchy
    # :354-376, `UserDetails#getUserOrgUnitIds`; E2012 "…org unit(s): …", :164), a superuser
    # never. 2.41.9/2.42.5 #decideAccess: the first refused one, E2012 against the data view
    # units (`isInUserDataViewHierarchy`), "…data set: `a`" / "…org unit: `a`".
    data_export_access_lists: bool = False
    # The `boolean` (True) and `Boolean` (False) properties of `GET /api/dataValueSets`' bean,
    # each bound by Spring's StringToBooleanConverter: 2.41.9/2.42.5
    # dxf2/datavalueset/DataValueSetQueryParams.java `children`, `includeDeleted` (2.41.9
    # :68/:86, 2.42.5 :70/:88); 2.43.1 datavalue/DataExportParams.java `Input` adds
    # `orderByPeriod` :210, `inputUseCodeFallback` :227 (Boolean), `unfoldOptionCombos` :256
    # (Boolean), `excludeDefaultCoc` :261, `excludeDefaultAoc` :266 (`children` :193,
    # `includeDeleted` :201).
    data_export_bean_flags: tuple[tuple[str, bool], ...] = (
        ("children", True), ("includeDeleted", True))
    # A data value set's `completeDate`: 2.43.1 datavalue/DefaultDataEntryService#decodeGroup
    # reads it with DateUtils#parseDate (:192-195 E8008, :207-209 E8009, before any value, each
    # the ERROR summary of `import_decode_refusals`) and DataEntryPipeline#importGroups
    # (:223-248) completes only a set with no value ignored; 2.41.9/2.42.5
    # DefaultDataValueSetService#getCompletionDate (`true`, LocalDate #parse, clamped to today)
    # and #handleComplete (2.41.9 :686-698/:1280-1331, 2.42.5 :702-714/:1286-1337; plain
    # conflicts for a missing org unit or period).
    data_set_completion_pipeline: bool = False
    # A data value set's period (the set's or a value's) that no period type reads: 2.41.9 and
    # 2.42.5 PeriodCallable → DefaultPeriodService#reloadIsoPeriodInStatelessSession
    # (2.41.9 :229-230, 2.42.5 :231-232) → PeriodType#getPeriodFromIsoString, null, so the
    # value's E7611 conflict; 2.43.1 datavalue/DefaultDataEntryService#decodeIso (:350-353)
    # `Period#of` throws IllegalArgumentException, which DataEntryPipeline
    # #importAutoSplitAndMerge's `runStageAndRethrow(BadRequestException.class, …)` (:160-164,
    # scheduling/JobProgress.java :540-543 → :558-574) swallows into a null group; `#importGroups` hands
    # it to DefaultDataEntryService#upsertGroup (:455-460) / #deleteGroup (:519-522), whose
    # NullPointerException is CrudControllerAdvice#defaultExceptionHandler's 500.
    import_period_fails_the_group: bool = False
    # Whose period, org unit and attribute option combo a data value set's value takes: 2.41.9
    # and 2.42.5 the set's whenever it resolves (DefaultDataValueSetService
    # #createDataValueContext, 2.41.9 :1213-1246, 2.42.5 :1219-1252); 2.43.1
    # datavalue/DefaultDataEntryService#decodeGroup the value's own whenever it names one, the
    # set's only in its place (`peOf` :139 applied :215, `ouVal` :226-227, an empty
    # `attributeOptionCombo` none :262-264).
    import_value_ids_over_the_set: bool = False
    # 2.43.1 datavalue/DefaultDataEntryService#decodeGroup's BadRequestExceptions for a data
    # value set's ids (:188-191 E8005/E8004, :213-281 E8100, E8102-E8111), rethrown by
    # DataEntryPipeline#importAutoSplitAndMerge (:160-164) and caught by #importInputGroups
    # (:139-145) into one ERROR ImportSummary (409), its conflict
    # feedback/DataEntrySummary#toConflict's (:127-131). 2.41.9/2.42.5 have no decode: an id
    # DefaultDataValueSetService's import cannot resolve is its conflict (E7600-E7616).
    import_decode_refusals: bool = False
    # The answer to a data value set import whose summary is WARNING: 2.41.9 (:169-179) and
    # 2.42.5 (:171-181) dxf2/webmessage/WebMessageUtils#importSummary answer 409 "One more
    # conflicts encountered, please check import summary."; 2.43.1 (:171-181) 200 (HttpStatus.OK)
    # "Import completed with warnings, please check import summary.". ERROR is 409 at each.
    import_summary_warning_ok: bool = False
    # How a data value set's values are written and counted: 2.41.9/2.42.5
    # DefaultDataValueSetService#importDataValue (imported / updated / ignored / deleted, an
    # insignificant zero skipped, the strategy's CREATE and UPDATE kept apart); 2.43.1
    # DefaultDataEntryService#upsertGroup (:453-512) upserts every value its validation passes
    # (HibernateDataEntryStore#upsertValues :849-904, one `INSERT … ON CONFLICT DO UPDATE`
    # per value, no zero check in #validateValues :716-774) and
    # feedback/DataEntrySummary#toImportSummary (:106-120) counts them all updated (deleted
    # for the DELETE strategy, DataEntryPipeline#toImportSummary :252-265), the rejected ones
    # ignored, nothing imported; WARNING only when some value was written, else ERROR; no
    # description (`new ImportSummary()`).
    import_summary_upserted: bool = False
    # Whose id schemes a data value set import reads: 2.41.9/2.42.5
    # DefaultDataValueSetService#createIdScheme (2.41.9 :1157-1161, 2.42.5 the same) the set's
    # (its specific scheme, else its `idScheme`, DataValueSet#getIdScheme(String) 2.41.9
    # :219-223) before the options'; 2.43.1 datavalue/DataEntryInput#fromJson (:232-262) sets
    # the body's on the options' IdSchemes, so any specific scheme before any `idScheme`.
    import_id_schemes_merged: bool = False
    # The tracker export's `filter`: 2.41.9 has no FilterParser; its
    # webapi/controller/tracker/export/RequestParamsValidator#parseFilters (:281-327) takes
    # exactly one or two `operator:value` pairs after the uid, each with a non-empty value
    # (:449-450), operators from a QueryOperator without NULL / NNULL, and answers anything
    # else 400 "Query item or filter is invalid: <filter>" (:71). 2.42.5/2.43.1 FilterParser.
    tracker_filter_operator_pairs: bool = False
    # Where `GET /api/tracker/trackedEntities` refuses a `page`/`pageSize` below 1. 2.41.9
    # TrackedEntitiesExportController (:166) runs RequestParamsValidator
    # #validatePaginationParameters → #validatePaginationBounds (:422-434) before the request
    # mapper; 2.42.5 (:164-171) and 2.43.1 (:161-168) check only paging=false there and meet
    # the bounds in tracker/PageParams#of (:61-68) after TrackedEntityRequestParamsMapper#map,
    # so a request mapper refusal (a filter, order, the mode) answers first. The same for
    # `GET /api/tracker/enrollments`: EnrollmentsExportController 2.41.9 :106, 2.42.5 :97-102,
    # 2.43.1 :94-99 (the events' controllers build PageParams before their mapper at every tag).
    tracker_page_bounds_after_request_mapper: bool = False
    # The type of the tracker export beans' paging flags (Tracked entity-, Enrollment-,
    # Event-, RelationshipRequestParams `paging`, `totalPages`): 2.41.9 `Boolean` (beside the
    # deprecated `Boolean skipPaging`), a value Spring cannot read "… Invalid boolean value 'x'";
    # 2.42.5/2.43.1 `boolean`, "… It should be of type boolean" (empty refused too).
    tracker_paging_flags_primitive: bool = False
    # 2.41.9 TrackedEntityRequestParamsMapper#validateRemovedParameters (:245-257): `query`,
    # `attribute`, `includeAllAttributes` refused ("… was removed in v41."); 2.42.5 has no such
    # fields (they bind nothing).
    tracker_removed_params_refused: bool = True
    # TrackedEntityOperationParamsMapper#filterAndValidateTrackedEntityTypes: without a
    # program, no data readable tracked entity type is 2.41.9's BadRequestException (:180),
    # 2.42.5's (:178) / 2.43.1's (:194) ForbiddenException. The same release turned
    # OperationsParamsValidator#validateOrgUnitMode's user-scope refusals ("User needs to be
    # assigned …") from 400 to 403 (2.41.9 :287-319, 2.42.5 :283-310).
    tracker_no_type_access_status: int = 400
    # The hashing of the ids in "Non-searchable attribute(s) can not be used during global
    # search:  [...]" (TrackedEntityQueryParams#getFilterIds collected to a HashSet): 2.41.9
    # `Set<String>` (:197-201), 2.42.5 (:176) / 2.43.1 `Set<UID>` (Lombok's hashCode, 59 + the
    # String's), so several ids may be listed in another order.
    tracker_filter_ids_uid_hash: bool = False
    # The words of EnrollmentRequestParamsMapper#validateRequestParams (2.41.9 :133-166,
    # 2.42.5 :124-164; 2.43.1 :126-137 keeps only `updatedWithin`, its program is mandatory and
    # its request params have no trackedEntityType): a parameter that needs a program
    # ("Program must be defined when …" at 2.41.9, "`program` must be defined when …" at
    # 2.42.5) and `program` beside `trackedEntityType`.
    enrollment_program_needed_prefix: str = "`program` must be defined when "
    enrollment_program_and_type_message: str = (
        "`program` and `trackedEntityType` cannot be specified simultaneously")
    # Who OperationsParamsValidator's 403 for an unreadable tracked entity type names (the
    # program's, #validateTrackerProgram, and the requested one, #validateTrackedEntityType):
    # 2.41.9 (:144-146, :241-243) "Current user is not authorized to read data from selected
    # …", 2.42.5 (:140-142, :239-241) and 2.43.1 (:148-150, :253-255) "User is not authorized …".
    tracker_type_read_refusal_subject: str = "User"
    # The tracker exports' refusal of paging=false beside page, pageSize or totalPages=true:
    # 2.41.9 webapi/controller/tracker/export/RequestParamsValidator
    # #validatePaginationParameters (:415-420) still names `isSkipPaging`; 2.42.5 (:380-386)
    # and 2.43.1 webapi/controller/tracker/RequestParamsValidator name `paging=false`.
    tracker_unpaged_page_message: str = (
        "Paging cannot be disabled with paging=false while also requesting a paginated response "
        "with page, pageSize and/or totalPages=true")
    # How `GET /api/tracker/trackedEntities/{uid}?program=` checks its program before the
    # tracked entity is read. "lookup": 2.41.9 DefaultTrackedEntityService#getTrackedEntity
    # (:222-227) only looks it up (404); "access": 2.42.5 (:178-184) runs
    # OperationsParamsValidator#validateProgramAccess (:156-172: 404 unknown, 403 no data
    # read), then TrackedEntityOperationParamsMapper#map (:106) #validateTrackerProgram
    # (:127-146), whose BadRequestException for an event program #getTrackedEntity (:201-204)
    # rethrows as an IllegalArgumentException (400, CrudControllerAdvice
    # #illegalArgumentExceptionHandler) and whose ForbiddenException for an unreadable tracked
    # entity type passes (403); "tracker": 2.43.1 (:178-184) runs #validateTrackerProgram
    # (:135-154) first, so an event program is the program's 404.
    tracker_single_entity_program_check: str = "lookup"
    # 2.43.1 enrollments carry an attribute option combo: tracker/imports/domain/Enrollment
    # #attributeOptionCombo, validator/enrollment/CategoryOptionComboValidator against
    # Program#enrollmentCategoryCombo, TrackerObjectsMapper#map(enrollment) (:177-182, the
    # default combo when none is given), export/enrollment/EnrollmentMapper (:87). 2.41.9 and
    # 2.42.5 have none of them (the payload key is unknown, so skipped).
    tracker_enrollment_option_combo: bool = False
    # 2.41.9 webapi/controller/tracker/view/Event.java (:85-87) and RelationshipItem.Event
    # (:179-181): a deprecated `@JsonProperty("followup") boolean legacyFollowUp`, bound (so a
    # value Jackson cannot read as a boolean is the body's 400) and never mapped; gone from
    # 2.42.5 and 2.43.1, where `followup` is an unknown member.
    tracker_event_followup_alias: bool = False
    # The enum `view/Enrollment#status` (and RelationshipItem.Enrollment's) is, as Jackson names
    # it refusing a value: 2.41.9 webapi/controller/tracker/view/EnrollmentStatus.java, 2.42.5 /
    # 2.43.1 dhis-api/.../program/EnrollmentStatus.java (view/Enrollment.java :42 imports it).
    tracker_enrollment_status_class: str = "org.hisp.dhis.program.EnrollmentStatus"
    # A new tracked entity attribute value sent without a value (`"value": null` or "", read as
    # null): AbstractTrackerPersister#handleTrackedEntityAttributeValues (2.41.9 :389-403,
    # 2.42.5 :404-426) deletes only a value that exists (`isDelete && !isNew`) and otherwise
    # saves every new one (`valueChanged = isNew || …`), so a row with a null value is
    # persisted with its CREATE change log; 2.43.1 (:520-539) skips it (`if (isDelete) { if
    # (!isNew) delete }`: "deleting it is a no-op").
    tracker_new_null_attribute_saved: bool = False
    # scheduling/JobType.java's constants in declaration order: what a `{jobType}` path
    # variable accepts, listed by CrudControllerAdvice#methodArgumentTypeMismatchException
    # ("Valid values are: [...]") when it is none of them (2.42 adds SINGLE_EVENT_DATA_SYNC,
    # TRACKED_ENTITY_DATA_SYNC and SMS_INBOUND_PROCESSING, drops the two program data syncs
    # and EVENT_IMPORT / ENROLLMENT_IMPORT / TEI_IMPORT; 2.43 drops PUSH_ANALYSIS and renames
    # TRACKER_SEARCH_OPTIMIZATION to TRACKER_TRIGRAM_INDEX_MAINTENANCE).
    job_types: tuple[str, ...] = ()
    # A JsonMappingException (MismatchedInputException: an empty body, a root value that is no
    # object) out of a controller that reads its body with Jackson itself: 2.43.1
    # webapi/controller/CrudControllerAdvice.java#jsonParseExceptionHandler (:402-411) lists
    # JsonMappingException next to JsonParseException, 409 conflict(message); 2.41.9 (:394-402)
    # and 2.42.5 (:402-410) do not, so #defaultExceptionHandler answers 500 with its message.
    json_mapping_error_conflict: bool = False
    # Spring 6 (2.42.5, 2.43.1: spring.version 6.2.8) words HttpMediaTypeNotSupportedException
    # "Content-Type 'x' is not supported" where Spring 5 (2.41.9: 5.3.39) wrote "Content type 'x'
    # not supported", and its NestedRuntimeException#getMessage no longer appends "; nested
    # exception is <cause>" to an HttpMessageNotReadableException's "JSON parse error: …".
    spring6_messages: bool = True
    # Whether a `consumes` media type's parameters (a charset) must match the request's:
    # Spring 6.2.8's `ConsumesRequestCondition.ConsumeMediaTypeExpression#match` adds
    # `#matchParameters` (:287-290; `AbstractMediaTypeExpression#matchParameters` :84-95);
    # 5.3.39's (2.41.9) asks `includes` alone (:287-290). Read by the data value set import's ADX
    # mapping ("application/adx+xml; charset=UTF-8", `aggregate/routes.py#_consumes`).
    consumes_matches_parameters: bool = True
    # A single `@RequestParam(defaultValue = …) Integer` sent as whitespace only: Spring's default
    # CustomNumberEditor(allowEmpty) converts it to null (the "" the default replaces before
    # conversion is only the empty string). Spring 6.2.8 (2.42.5, 2.43.1)
    # AbstractNamedValueMethodArgumentResolver#resolveArgument (:135-147) then converts the
    # default; Spring 5.3.39 (2.41.9, :122-140) keeps the null, which the controller unboxes.
    request_param_null_takes_default: bool = True
    # A `@RequestParam` the request does not name: Spring 6.2.8 (2.42.5, 2.43.1)
    # RequestParamMethodArgumentResolver#resolveName (:181-187) then reads the values of
    # `name[]`; Spring 5.3.39 (2.41.9, :181-184) has no such fallback (the parameter is absent).
    request_param_array_suffix: bool = True
    # POST /api/dataStore/{ns}/{key} without a body: Spring's "Required request body is missing: "
    # + the handler's Method#toGenericString, whose `throws` clause names ForbiddenException at
    # 2.42.5/2.43.1 (webapi/controller/DatastoreController.java#addEntry :223-228, :220-225) and
    # not at 2.41.9 (:198-203).
    datastore_add_entry_throws_forbidden: bool = True
    # PATCH /api/{plural}/{uid} binds `@RequestBody JsonPatch` (2.43.1
    # webapi/controller/AbstractCrudController.java#patchObject :169-174, read before the object
    # is looked up); 2.41.9 (:192) and 2.42.5 (:193) read `request.getInputStream()` with
    # `jsonMapper.readValue` after the lookup and the update check. So an operation Jackson
    # cannot type (`move`, `copy`, `test`: JsonPatchOperation's subtypes are add, remove,
    # remove-by-id, replace) is on 2.43 an HttpMessageNotReadableException, 400 "JSON parse
    # error: …", before the lookup; on 2.41/2.42 the InvalidTypeIdException (no handler of its
    # own) is the default handler's 500 with Jackson's whole message.
    crud_patch_request_body: bool = False
    # PATCH /api/users/{uid}: 2.41.9 AbstractCrudController#doPatch (:229-238) rewrites a path
    # whose first segment is `userCredentials` (the legacy UserCredentialsDto view) to its tail
    # before the patch is applied; 2.42.5 (#doPatch :230-241) and 2.43.1 (:217-228) have no
    # such rewrite, so there `userCredentials` is no User property ("Property userCredentials
    # does not exist on Schema"). That loop reads `patch.getOperations()` first, so on 2.41.9 a
    # user's JSON null patch is its NullPointerException (`… because "patch" is null`), not
    # the `setId` of a null patched object the other types meet.
    crud_patch_user_credentials_path: bool = False
    # PUT /api/{plural}/{uid} with a JSON null: #putJsonObject calls setUid on the null entity,
    # through a `(BaseIdentifiableObject)` cast at 2.41.9 (:443) and 2.42.5 (:425), on the
    # `IdentifiableObject` type itself at 2.43.1 (:407); the NullPointerException names it.
    # AbstractCrudController maps XML bodies too (#postXmlObject, #putXmlObject: `consumes`
    # application/xml, text/xml, 2.41.9 :325/:473; the collection lists' #…CollectionItemsXml:
    # application/xml alone, :651/:698/:767); 2.42.5 and 2.43.1 map JSON only, so XML is a 415
    # there.
    crud_consumes_xml: bool = False
    crud_put_null_receiver: str = "org.hisp.dhis.common.BaseIdentifiableObject"
    # 2.43.1 CategoryOptionComboController#postJsonObject (:129-133, no `consumes`) answers 409
    # E1129 without reading the body; 2.41.9 and 2.42.5 keep AbstractCrudController's create.
    option_combo_post_refused: bool = False
    # 2.43.1 CategoryOptionComboController declares its own `@PutMapping` / `@PatchMapping`
    # (`value = "/{uid}"`, `produces` JSON, no `consumes`: :155, :188), the PATCH binding
    # `@RequestBody JsonPatch` (:193): any Content-Type reaches the PUT, and the PATCH takes what
    # a converter reads (Spring's 415 otherwise), its body read before the lookup. 2.41.9 and
    # 2.42.5 override #putJsonObject / #patchObject without annotations, so they keep
    # AbstractCrudController's mappings (`consumes` application/json, application/json-patch+json).
    option_combo_own_mappings: bool = False
    # An /api path no controller maps ends in the container's 404 page (sandbox/core/unmapped.py):
    # 2.42.5 / 2.43.1 (Spring 6.2.8) reach WebMvcConfig's `/**` resource handler, whose
    # NoResourceFoundException gives the page a message ("No static resource <path>."); 2.41.9
    # (Spring 5.3.39) has none, DispatcherServlet#noHandlerFound sends a bare 404. The page's
    # server info is the Tomcat of the release's image (2.41.9 dhis-web-portal/pom.xml :17
    # tomcat:9.0.111, 2.42.5 / 2.43.1 dhis-web-server/pom.xml :18 11.0.20).
    unmapped_static_resource: bool = True
    unmapped_error_page: str = "Apache Tomcat/11.0.20"
    # `/api/NN/...`: 2.41.9 / 2.42.5 map it for `@ApiVersion` controllers only, NN 28 to 42
    # (DhisApiVersion without ALL); 2.43.1's ApiVersionFilter rewrites NN 28 to 43 for every
    # path. `unversioned_paths`: the served paths whose controller has no `@ApiVersion`.
    api_versions: tuple[int, int] = (28, 42)
    api_version_filter: bool = False
    # (`PingController`, and `IndexController`'s `/api` and `/api/resources`)
    unversioned_paths: frozenset[str] = frozenset({"/api/ping", "/api", "/api/resources"})
    # Spring's suffix pattern matching of `@RequestMapping` paths (`/api/ping.xml` is PingController
    # too): 2.42.5 / 2.43.1 `security/config/WebMvcConfig#createRequestMappingHandlerMapping`
    # (2.42.5 :265-273, 2.43.1 :237-245) `setUseRegisteredSuffixPatternMatch(true)`, only the
    # extensions of its ContentNegotiationManager's `mediaTypeMap` (`REGISTERED_SUFFIXES` in
    # core/settings.py); 2.41.9 `mvc/ContentNegotiationConfig#configurePathMatch` only
    # `setUseSuffixPatternMatch(true)`, so `/ping.*`: any suffix (False).
    registered_suffix_pattern_match: bool = True
    # 2.41.9 `WebMessage#withPlainResponseBefore(V38)` (UserController#putJsonObject :610):
    # WebMessageControllerAdvice#isPlainResponse (:94-99) writes a path below `/api/38/` the
    # bare response object, with the status left at 200; 2.42.5 and 2.43.1 have no such
    # method (None).
    plain_response_before: int | None = 38


_REMOVED_IN_2_43 = frozenset(
    {
        "E1084",
        "E1085",
        "E1035",
        "E1044",
        "E1045",
        "E1048",
        "E1086",
        "E1087",
        "E1088",
        "E1094",
        "E1110",
        "E1311",
        "E1312",
        "E4019",
    }
)

# The baseline row is 2.41, the oldest supported release; every other row is written as what
# changes from its neighbour, so the table reads as the list of differences.
_2_41 = Release(
    minor="2.41",
    option_combo_deletion_updates_every_combo=True,
    support=Support.SUPPORTED,
    example_version="2.41.9",
    build_revision="ce64046",
    tracker_page_link_repeats_api_version=True,
    enrollment_program_needed_prefix="Program must be defined when ",
    enrollment_program_and_type_message="Program and tracked entity cannot be specified simultaneously",
    tracker_event_order_followup=True,
    login_config_from_setting_keys=True,
    user_settings_unknown_key_not_found=True,
    settings_key_enums=True,
    security_user_by_import_identifier=True,
    tracker_page_envelope="pager+flat",
    program_required_on_events_and_enrollments=False,
    enrollments_accept_tracked_entity_type=True,
    tracker_error_codes_removed=_REMOVED_IN_2_43,
    attribute_value_type_error="E1007",
    data_value_type_error="E1302",
    metadata_import_response_type="ImportReport",
    tracker_job_response_type=None,
    web_message_response_type_last=False,
    login_path="/dhis-web-login",
    basic_login_path="/dhis-web-login",
    api_token_prefixes=("d2p_", "d2pat_"),
    enrollment_status_param="programStatus",
    accepts_deprecated_tracker_aliases=True,
    tracker_message_catalog="2.41",
    tracker_payload_uids_typed=False,
    tracker_event_followup_alias=True,
    tracker_enrollment_status_class="org.hisp.dhis.webapi.controller.tracker.view.EnrollmentStatus",
    tracker_new_null_attribute_saved=True,
    tracker_async_is_mapping_condition=True,
    tracker_job_location_header=True,
    tracker_messages_format_enums=False,
    tracker_ignored_excludes_dropped_children=False,
    tracker_invisible_entity_status=403,
    tracker_search_scope_adds_capture_units=False,
    tracker_ownership_checks=OwnershipChecks(
        deprecated_tracked_entity_param=True, transfer_org_unit_params=("ou",),
        transfer_reads_through_export=False,
        transfer_denied_error_code=False, validated=False),
    system_info_2_43_fields=False,
    job_configuration_response_type=None,
    api_key_creation_response_type="ApiTokenCreationResponse",
    metadata_async_params_user_override_mode=True,
    me_keys_added=("userCredentials",),
    me_keys_dropped=("emailVerified", "twoFactorType"),
    password_requires_lower_case=False,
    category_combo_save_prunes_option_combos=False,
    maintenance_answers_web_message=False,
    authority_interceptor_message=False,
    category_option_combo_hook=False,
    rule_action_blank_template_is_none=True,
    program_category_mappings=False,
    category_combo_limits=False,
    user_credentials_input=True,
    geojson_parse_error_names_value=False,
    data_element_value_type_lock=False,
    metadata_attribute_values_by_uid=False,
    metadata_filter_not_empty=False,
    metadata_filter_arg_as_written=True,
    metadata_filter_identifiable_virtual=False,
    metadata_filter_attribute_id_rewritten=False,
    metadata_memory_filter_tests_collection_items=True,
    metadata_list_filters_unwrapped=frozenset(
        {"users", "programs", "interpretations", "mapViews", "messageConversations"}),
    metadata_list_self_paged=frozenset({"users"}),
    metadata_attribute_filter_walks_path=True,
    dashboard_lists_shared_for_superusers=True,
    metadata_list_params_bound=False,
    tracker_attribute_fields=("attribute", "code", "displayName", "createdAt", "updatedAt",
                              "valueType", "value"),
    tracker_domain_layout="2.41",
    metadata_oauth2_runtime_state_check=False,
    object_get_uid_pattern=False,
    metadata_import_no_chain_message=(
        'Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" because '
        '"typeReports" is null'),
    metadata_validation_failure_message=(
        'Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" because '
        '"typeReports" is null'),
    tracker_repeated_events_checks_invalid=True,
    tracker_enrollment_dates_null_arg=True,
    tracker_e1313_event_arg=True,
    tracker_filter_operator_pairs=True,
    tracker_type_read_refusal_subject="Current user",
    tracker_unpaged_page_message=(
        "Paging cannot be skipped with isSkipPaging=true while also requesting a paginated "
        "response with page, pageSize and/or totalPages=true"),
    spring6_messages=False,
    consumes_matches_parameters=False,
    request_param_null_takes_default=False,
    request_param_array_suffix=False,
    sql_error_dev_message_is_state=True,
    datastore_add_entry_throws_forbidden=False,
    crud_consumes_xml=True,
    unmapped_static_resource=False,
    unmapped_error_page="Apache Tomcat/9.0.111",
    registered_suffix_pattern_match=False,
    potential_duplicate_class="org.hisp.dhis.deduplication.PotentialDuplicate",
    potential_duplicate_handler=(
        "public org.hisp.dhis.deduplication.PotentialDuplicate "
        "org.hisp.dhis.webapi.controller.deduplication.DeduplicationController"
        ".postPotentialDuplicate(org.hisp.dhis.deduplication.PotentialDuplicate) throws "
        "org.hisp.dhis.feedback.ForbiddenException,org.hisp.dhis.feedback.ConflictException,"
        "org.hisp.dhis.feedback.NotFoundException,org.hisp.dhis.feedback.BadRequestException,"
        "org.hisp.dhis.deduplication.PotentialDuplicateConflictException"),
    tracker_import_json_handlers=(
        ("public org.hisp.dhis.dxf2.webmessage.WebMessage "
         "org.hisp.dhis.webapi.controller.tracker.imports.TrackerImportController"
         ".asyncPostJsonTracker(javax.servlet.http.HttpServletRequest,"
         "org.hisp.dhis.webapi.controller.tracker.imports.ImportRequestParams,"
         "org.hisp.dhis.webapi.controller.tracker.imports.Body) throws "
         "org.hisp.dhis.feedback.ConflictException,org.hisp.dhis.feedback.NotFoundException,"
         "java.io.IOException"),
        ("public org.springframework.http.ResponseEntity"
         "<org.hisp.dhis.tracker.imports.report.ImportReport> "
         "org.hisp.dhis.webapi.controller.tracker.imports.TrackerImportController"
         ".syncPostJsonTracker(org.hisp.dhis.webapi.controller.tracker.imports.ImportRequestParams,"
         "org.hisp.dhis.webapi.controller.tracker.imports.Body)")),
    job_types=(
        "DATA_INTEGRITY", "DATA_INTEGRITY_DETAILS", "RESOURCE_TABLE", "ANALYTICS_TABLE",
        "CONTINUOUS_ANALYTICS_TABLE", "DATA_SYNC", "TRACKER_PROGRAMS_DATA_SYNC",
        "EVENT_PROGRAMS_DATA_SYNC", "META_DATA_SYNC", "AGGREGATE_DATA_EXCHANGE",
        "SEND_SCHEDULED_MESSAGE", "PROGRAM_NOTIFICATIONS", "MONITORING", "PUSH_ANALYSIS",
        "HTML_PUSH_ANALYTICS", "TRACKER_SEARCH_OPTIMIZATION", "PREDICTOR",
        "MATERIALIZED_SQL_VIEW_UPDATE", "DISABLE_INACTIVE_USERS", "TEST",
        "LOCK_EXCEPTION_CLEANUP", "MOCK", "SMS_SEND", "TRACKER_IMPORT_JOB",
        "TRACKER_IMPORT_NOTIFICATION_JOB", "TRACKER_IMPORT_RULE_ENGINE_JOB", "IMAGE_PROCESSING",
        "COMPLETE_DATA_SET_REGISTRATION_IMPORT", "DATAVALUE_IMPORT_INTERNAL", "METADATA_IMPORT",
        "DATAVALUE_IMPORT", "GEOJSON_IMPORT", "EVENT_IMPORT", "ENROLLMENT_IMPORT", "TEI_IMPORT",
        "GML_IMPORT", "HOUSEKEEPING", "DATA_VALUE_TRIM", "DATA_SET_NOTIFICATION",
        "CREDENTIALS_EXPIRY_ALERT", "DATA_STATISTICS", "FILE_RESOURCE_CLEANUP",
        "ACCOUNT_EXPIRY_ALERT", "VALIDATION_RESULTS_NOTIFICATION",
        "REMOVE_USED_OR_EXPIRED_RESERVED_VALUES", "SYSTEM_VERSION_UPDATE_CHECK",
    ),
    org_unit_list_params_combined=False,
    crud_patch_user_credentials_path=True,
)
_2_40 = replace(
    _2_41,
    minor="2.40",
    support=Support.WARN,
    example_version="2.40.7",
    build_revision="804cc7a",
    tracker_page_envelope="instances",
    tracker_job_response_type="TrackerJob",
    login_path="/dhis-web-commons/security/login.action",
    basic_login_path="/dhis-web-commons/security/login.action",
    api_token_prefixes=("d2pat_",),
)
_2_42 = replace(
    _2_41,
    sql_error_dev_message_is_state=False,
    tracker_page_link_repeats_api_version=False,
    schema_links_keep_api_version=True,
    option_combo_deletion_updates_every_combo=False,
    notification_id_from_timestamp=True,
    tracker_event_update_unassigns_old_file=True,
    tracker_preheat_current_user=True,
    plain_response_before=None,
    data_value_set_body="post_condition",
    tracker_event_unknown_org_unit="Organisation unit is specified but does not exist: ",
    tracker_event_order_followup=False,
    org_unit_list_params_combined=True,
    crud_patch_user_credentials_path=False,
    tracker_stored_by="payload_on_create",
    tracker_enrollment_completed_at_from_payload=True,
    tracker_data_value_stamps="importer",
    tracker_blank_data_value_written=False,
    tracker_data_value_provided_elsewhere_written=True,
    reserved_values_bare_key_counts_every_value=False,
    tracker_stored_value_leaves_reserved_pool=True,
    tracker_attribute_change_logs_need_audit_log=False,
    tracker_note_stored_by_user=False,
    minor="2.42",
    example_version="2.42.5",
    build_revision="9fc9c1d",
    login_config_from_setting_keys=False,
    user_settings_unknown_key_not_found=False,
    settings_key_enums=False,
    security_user_by_import_identifier=False,
    tracker_page_envelope="pager",
    enrollment_status_param="enrollmentStatus",
    accepts_deprecated_tracker_aliases=False,
    tracker_message_catalog="2.42",
    tracker_payload_uids_typed=True,
    tracker_event_followup_alias=False,
    tracker_enrollment_status_class="org.hisp.dhis.program.EnrollmentStatus",
    tracker_async_is_mapping_condition=False,
    tracker_job_location_header=False,
    tracker_messages_format_enums=True,
    tracker_invisible_entity_status=404,
    tracker_search_scope_adds_capture_units=True,
    tracker_ownership_checks=OwnershipChecks(
        deprecated_tracked_entity_param=False, transfer_org_unit_params=("ou", "orgUnit"),
        transfer_reads_through_export=True,
        transfer_denied_error_code=True, validated=False),
    job_configuration_response_type="JobConfiguration",
    api_key_creation_response_type="ObjectReport",
    tracker_job_response_type="TrackerJob",
    web_message_response_type_last=True,
    login_path="/dhis-web-login/",
    anonymous_entry_point_http401=True,
    me_keys_added=(),
    me_keys_dropped=(),
    sharing_external_access=True,
    access_denied_error_code="E1006",
    tracker_org_unit_mode_all_forbidden=True,
    xss_protection_header="0",
    csp_script_none_urls=(
        r"^.+/dataValues/files$",
        r"^.+messageConversations/[a-zA-Z\d]+/[a-zA-Z\d]+/attachments/[a-zA-Z\d]+$",
        r"^.+audits/files/[a-zA-Z\d]+$", r"^.+externalFileResources/[a-zA-Z\d]+$"),
    password_requires_lower_case=True,
    schema_facts="2.42",
    schema_registry="2.42.5",
    settings_catalog="2.42.5",
    category_combo_save_prunes_option_combos=True,
    authority_interceptor_message=True,
    metadata_controller_authorities=(
        ("oAuth2Clients", ("F_OAUTH2_CLIENT_MANAGE",), True),
        ("oAuth2Authorizations", ("ALL",), False),
        ("oAuth2AuthorizationConsents", ("ALL",), False)),
    category_option_combo_hook=True,
    rule_action_blank_template_is_none=False,
    program_category_mappings=True,
    category_combo_limits=True,
    user_credentials_input=False,
    geojson_parse_error_names_value=True,
    data_element_value_type_lock=True,
    metadata_attribute_values_by_uid=True,
    metadata_filter_not_empty=True,
    metadata_filter_arg_as_written=False,
    metadata_filter_identifiable_virtual=True,
    metadata_filter_attribute_id_rewritten=True,
    metadata_memory_filter_tests_collection_items=False,
    metadata_list_filters_unwrapped=frozenset(),
    metadata_list_self_paged=frozenset(),
    metadata_attribute_filter_walks_path=False,
    dashboard_lists_shared_for_superusers=False,
    metadata_list_params_bound=True,
    tracker_attribute_fields=("attribute", "storedBy", "value"),
    tracker_domain_layout="2.42",
    metadata_oauth2_runtime_state_check=True,
    object_get_uid_pattern=True,
    metadata_validation_failure_message=None,
    metadata_import_no_chain_message=(
        'Cannot invoke "java.util.List.iterator()" because "validationChecks" is null'),
    tracker_note_endpoints=True,
    tracker_single_read_keeps_deleted=False,
    potential_duplicate_not_found_legacy=False,
    potential_duplicate_entities_first=False,
    potential_duplicate_path_uid_typed=True,
    tracker_event_field_change_logs=True,
    tracker_change_log_filters=True,
    tracker_change_log_page_params=True,
    tracker_event_expiry="payload_completed_at",
    tracker_repeated_events_checks_invalid=False,
    tracker_enrollment_dates_null_arg=False,
    tracker_e1313_event_arg=False,
    tracker_filter_operator_pairs=False,
    tracker_page_bounds_after_request_mapper=True,
    tracker_paging_flags_primitive=True,
    tracker_removed_params_refused=False,
    tracker_no_type_access_status=403,
    tracker_filter_ids_uid_hash=True,
    enrollment_program_needed_prefix="`program` must be defined when ",
    enrollment_program_and_type_message=(
        "`program` and `trackedEntityType` cannot be specified simultaneously"),
    tracker_type_read_refusal_subject="User",
    tracker_unpaged_page_message=(
        "Paging cannot be disabled with paging=false while also requesting a paginated "
        "response with page, pageSize and/or totalPages=true"),
    tracker_single_entity_program_check="access",
    spring6_messages=True,
    consumes_matches_parameters=True,
    request_param_null_takes_default=True,
    request_param_array_suffix=True,
    datastore_add_entry_throws_forbidden=True,
    crud_consumes_xml=False,
    unmapped_static_resource=True,
    registered_suffix_pattern_match=True,
    unmapped_error_page="Apache Tomcat/11.0.20",
    potential_duplicate_class="org.hisp.dhis.tracker.deduplication.PotentialDuplicate",
    potential_duplicate_handler=_POTENTIAL_DUPLICATE_HANDLER,
    tracker_import_json_handlers=(_TRACKER_IMPORT_JSON,) * 2,
    financial_year_period_types=frozenset({"April", "July", "Sep", "Oct", "Nov"}),
    job_types=(
        "DATA_INTEGRITY", "DATA_INTEGRITY_DETAILS", "RESOURCE_TABLE", "ANALYTICS_TABLE",
        "CONTINUOUS_ANALYTICS_TABLE", "SINGLE_EVENT_DATA_SYNC", "TRACKED_ENTITY_DATA_SYNC",
        "DATA_SYNC", "META_DATA_SYNC", "AGGREGATE_DATA_EXCHANGE", "SEND_SCHEDULED_MESSAGE",
        "PROGRAM_NOTIFICATIONS", "MONITORING", "PUSH_ANALYSIS", "HTML_PUSH_ANALYTICS",
        "TRACKER_SEARCH_OPTIMIZATION", "PREDICTOR", "MATERIALIZED_SQL_VIEW_UPDATE",
        "DISABLE_INACTIVE_USERS", "TEST", "LOCK_EXCEPTION_CLEANUP", "MOCK", "SMS_SEND",
        "SMS_INBOUND_PROCESSING", "TRACKER_IMPORT_JOB", "TRACKER_IMPORT_NOTIFICATION_JOB",
        "TRACKER_IMPORT_RULE_ENGINE_JOB", "IMAGE_PROCESSING",
        "COMPLETE_DATA_SET_REGISTRATION_IMPORT", "DATAVALUE_IMPORT_INTERNAL", "METADATA_IMPORT",
        "DATAVALUE_IMPORT", "GEOJSON_IMPORT", "GML_IMPORT", "HOUSEKEEPING", "DATA_VALUE_TRIM",
        "DATA_SET_NOTIFICATION", "CREDENTIALS_EXPIRY_ALERT", "DATA_STATISTICS",
        "FILE_RESOURCE_CLEANUP", "ACCOUNT_EXPIRY_ALERT", "VALIDATION_RESULTS_NOTIFICATION",
        "REMOVE_USED_OR_EXPIRED_RESERVED_VALUES", "SYSTEM_VERSION_UPDATE_CHECK",
    ),
)
_2_43 = replace(
    _2_42,
    attribute_values_empty_types=frozenset({
        "categoryCombo", "dashboard", "dashboardItem", "dataApprovalLevel",
        "dataApprovalWorkflow", "indicatorGroupSet", "legend"}),
    csp_script_none_urls=(
        r"^.+/dataValues/files$",
        r"^.+messageConversations/[a-zA-Z\d]+/[a-zA-Z\d]+/attachments/[a-zA-Z\d]+$",
        r"^.+audits/files/[a-zA-Z\d]+$"),
    analytics_data_view_falls_back_to_capture=True,
    tracker_note_stored_by_user=True,
    data_value_set_body="json_tree",
    minor="2.43",
    api_versions=(28, 43),
    api_version_filter=True,
    unversioned_paths=frozenset(),
    tracker_stored_by="importer_on_create",
    example_version="2.43.1",
    build_revision="9cbfbf3",
    job_types=(
        "DATA_INTEGRITY", "DATA_INTEGRITY_DETAILS", "RESOURCE_TABLE", "ANALYTICS_TABLE",
        "CONTINUOUS_ANALYTICS_TABLE", "SINGLE_EVENT_DATA_SYNC", "TRACKED_ENTITY_DATA_SYNC",
        "DATA_SYNC", "META_DATA_SYNC", "AGGREGATE_DATA_EXCHANGE", "SEND_SCHEDULED_MESSAGE",
        "PROGRAM_NOTIFICATIONS", "MONITORING", "HTML_PUSH_ANALYTICS",
        "TRACKER_TRIGRAM_INDEX_MAINTENANCE", "PREDICTOR", "MATERIALIZED_SQL_VIEW_UPDATE",
        "DISABLE_INACTIVE_USERS", "TEST", "LOCK_EXCEPTION_CLEANUP", "MOCK", "SMS_SEND",
        "SMS_INBOUND_PROCESSING", "TRACKER_IMPORT_JOB", "TRACKER_IMPORT_NOTIFICATION_JOB",
        "TRACKER_IMPORT_RULE_ENGINE_JOB", "IMAGE_PROCESSING",
        "COMPLETE_DATA_SET_REGISTRATION_IMPORT", "DATAVALUE_IMPORT_INTERNAL", "METADATA_IMPORT",
        "DATAVALUE_IMPORT", "GEOJSON_IMPORT", "GML_IMPORT", "HOUSEKEEPING", "DATA_VALUE_TRIM",
        "DATA_SET_NOTIFICATION", "CREDENTIALS_EXPIRY_ALERT", "DATA_STATISTICS",
        "FILE_RESOURCE_CLEANUP", "ACCOUNT_EXPIRY_ALERT", "VALIDATION_RESULTS_NOTIFICATION",
        "REMOVE_USED_OR_EXPIRED_RESERVED_VALUES", "SYSTEM_VERSION_UPDATE_CHECK",
    ),
    program_required_on_events_and_enrollments=True,
    enrollments_accept_tracked_entity_type=False,
    tracker_error_codes_removed=frozenset(),
    tracker_message_catalog="2.43",
    schema_registry="2.43.1",
    settings_catalog="2.43.1",
    crud_path_uids_typed=True,
    user_group_ids_as_uids=True,
    json_mapping_error_conflict=True,
    crud_patch_request_body=True,
    crud_put_null_receiver="org.hisp.dhis.common.IdentifiableObject",
    option_combo_post_refused=True,
    option_combo_own_mappings=True,
    object_get_uid_typed=True,
    data_export_first_failure=True,
    login_path="/login/",
    basic_login_path="/login/",
    tracker_ignored_excludes_dropped_children=True,
    system_info_2_43_fields=True,
    metadata_async_params_user_override_mode=False,
    sharing_external_access=False,
    maintenance_answers_web_message=True,
    tracker_attribute_fields=("attribute", "value"),
    tracker_domain_layout="2.43",
    tracker_single_events=True,
    tracker_split_event_endpoints=True,
    tracker_enrollment_read_needs_type_metadata=True,
    tracker_event_expiry="stored_completed_at",
    tracker_change_logs_opt_in=True,
    tracker_security_split=True,
    tracker_ownership_checks=OwnershipChecks(
        deprecated_tracked_entity_param=False, transfer_org_unit_params=("orgUnit",),
        transfer_reads_through_export=True,
        transfer_denied_error_code=True, validated=True),
    tracker_event_validators_split=True,
    tracker_single_entity_program_check="tracker",
    tracker_enrollment_option_combo=True,
    tracker_new_null_attribute_saved=False,
    reserved_values_bare_key_counts_every_value=True,
    tracker_stored_value_leaves_reserved_pool=False,
    file_resource_forbidden_message="File resource not found or not accessible: {uid}",
    file_resource_unserved_domains=("DATA_VALUE",),
    file_resource_domains=(
        "DATA_VALUE", "DOCUMENT", "MESSAGE_ATTACHMENT", "USER_AVATAR", "ORG_UNIT", "ICON",
        "JOB_DATA"),
    file_resource_uid_typed=True,
    tracker_image_format_check_inverted=False,
    regex_word_boundary_ascii=True,
    jdk_range_bounds_message=True,
    jdk_short_time_narrow_space=True,
    jdk_major=21,
    attribute_search_operators=True,
    enum_constants_added=(
        ("org.hisp.dhis.programrule.ProgramRuleActionType", "SCHEDULEEVENT", "ERRORONCOMPLETE"),
    ),
    geojson_type_id_e6005=True,
    enum_constants_removed=(("org.hisp.dhis.common.ValueType", "TRACKER_ASSOCIATE"),),
    category_veto_names_combo=False,
    category_option_combo_validate_npe=True,
    category_option_combo_full_set=True,
    financial_year_period_types=frozenset({"Feb", "April", "July", "Aug", "Sep", "Oct", "Nov"}),
    financial_relative_periods_dated=True,
    data_export_ids_unresolved=True,
    data_export_access_lists=True,
    data_export_bean_flags=(
        ("children", True), ("includeDeleted", True), ("orderByPeriod", True),
        ("inputUseCodeFallback", False), ("unfoldOptionCombos", False),
        ("excludeDefaultCoc", True), ("excludeDefaultAoc", True)),
    data_set_completion_pipeline=True,
    import_period_fails_the_group=True,
    import_value_ids_over_the_set=True,
    import_decode_refusals=True,
    import_summary_warning_ok=True,
    import_summary_upserted=True,
    import_id_schemes_merged=True,
)
_2_44 = replace(
    _2_43,
    minor="2.44",
    support=Support.WARN,
    example_version="2.44.0",
    # no 2.44.0 tag was read: a stand-in short hash
    build_revision="0e1f2a3",
)

RELEASES: dict[str, Release] = {r.minor: r for r in (_2_40, _2_41, _2_42, _2_43, _2_44)}

SUPPORTED_WINDOW = "2.41, 2.42 and 2.43"
DEFAULT_MINOR = "2.42"

_VERSION = re.compile(r"^\s*(\d+)\.(\d+)(?:[.\-].*)?$")


def minor_of(version: str) -> str | None:
    """'2.42.1' → '2.42'; '2.43-SNAPSHOT' → '2.43'; garbage → None."""
    match = _VERSION.match(version or "")
    if not match:
        return None
    return f"{int(match.group(1))}.{int(match.group(2))}"


def release_for(version: str) -> Release | None:
    """The row for a server version string, or None when outside every known window."""
    minor = minor_of(version)
    return RELEASES.get(minor) if minor else None


def support_of(version: str) -> Support:
    release = release_for(version)
    return release.support if release else Support.UNSUPPORTED
