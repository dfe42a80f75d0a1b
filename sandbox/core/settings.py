"""Endpoints open before sign-in and the settings a phone reads: /api/loginConfig, /api/ping,
/api/systemSettings.

- `webapi/controller/security/LoginConfigController.java#getConfig` and
  `dhis-api/.../security/LoginConfigResponse.java` (2.41.9 has no min/maxPasswordLength); no
  OIDC provider is configured, so `oidcProviders` is empty. Written by the NON_NULL jsonMapper
  (`webapi/security/config/WebMvcConfig.java`, `commons/jackson/config/
  JacksonObjectMapperConfig.java`): no `loginPageLogo` without a custom logo, and on 2.41.9 no
  intro, notification, footers or loginPageTemplate, whose `setting/SettingKey.java` defaults
  are null (release-table field `login_config_from_setting_keys`). Open without credentials:
  `webapi/security/config/DhisWebApiWebSecurityConfig.java` (`/**/loginConfig` permitAll).
- `webapi/controller/PingController.java`: 200 with an empty body, also open
  (`DhisWebApiWebSecurityConfig`, 2.41.9 `DhisWebCommonsWebSecurityConfig#configure` ignoring).
- `webapi/controller/SystemSettingsController.java#getSystemSettingsJson` (2.41.9
  `SystemSettingController`): `key` names the settings (Spring splits a comma-joined value); a
  key with no default answers "" (`setting/LazySettings.java#toJson`, `#asJson`); defaults
  from `setting/SystemSettings.java`. No setting is stored in the sandbox.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx

# setting/SystemSettings.java: the defaults of the settings the sandbox is asked for
SYSTEM_DEFAULTS: dict[str, Any] = {
    "applicationTitle": "DHIS 2",
    "keyApplicationIntro": "",
    "keyApplicationNotification": "",
    "keyApplicationFooter": "",
    "keyApplicationRightFooter": "",
    "loginPopup": "",
    "keyFlag": "dhis2",
    "keyUiLocale": "en",
    "keyStyle": "light_blue/light_blue.css",
    "keyDefaultBaseMap": "",
    "analyticsFinancialYearStart": "FINANCIAL_YEAR_OCTOBER",
    "keyUseCustomLogoFront": False,
    "keySelfRegistrationNoRecaptcha": False,
    "keyAccountRecovery": False,
    "recaptchaSite": "6LcVwT0UAAAAAAkO_EGPiYOiymIszZUeHfqWIYX5",
    "loginPageLayout": "DEFAULT",
    "loginPageTemplate": "",
    "minPasswordLength": 8,
    "maxPasswordLength": 72,
}


def login_config(ctx: Ctx) -> Response:
    setting = SYSTEM_DEFAULTS
    legacy = ctx.release.login_config_from_setting_keys
    # 2.41.9 SettingKey defaults of these are null; SystemSettings#asString(key, "") from 2.42
    unset = None if legacy else ""
    body: dict[str, Any] = {
        "apiVersion": ctx.release.example_version,
        "applicationTitle": setting["applicationTitle"],
        "applicationDescription": unset,
        "applicationNotification": unset,
        "applicationLeftSideFooter": unset,
        "applicationRightSideFooter": unset,
        "countryFlag": setting["keyFlag"],
        "uiLocale": setting["keyUiLocale"],
        # "/api/staticContent/logo_front.png" only with keyUseCustomLogoFront
        "loginPageLogo": None,
        "loginPopup": setting["loginPopup"],
        "loginPageLayout": setting["loginPageLayout"],
        "loginPageTemplate": unset,
        "recaptchaSite": setting["recaptchaSite"],
    }
    if not legacy:
        body["minPasswordLength"] = str(setting["minPasswordLength"])
        body["maxPasswordLength"] = str(setting["maxPasswordLength"])
    body.update({
        "emailConfigured": False,
        "selfRegistrationEnabled": False,
        "selfRegistrationNoRecaptcha": setting["keySelfRegistrationNoRecaptcha"],
        "allowAccountRecovery": setting["keyAccountRecovery"],
        "useCustomLogoFront": setting["keyUseCustomLogoFront"],
        "oidcProviders": [],
    })
    # the response goes through DHIS2's NON_NULL jsonMapper (WebMvcConfig)
    return webmessage.json_response({k: v for k, v in body.items() if v is not None})


def ping(ctx: Ctx) -> Response:
    return Response(status=200)


def requested_keys(values: list[str]) -> list[str]:
    """Spring's conversion of `key` to a Set: each value split at commas, blanks dropped."""
    return [k.strip() for value in values for k in value.split(",") if k.strip()]


def system_settings(ctx: Ctx) -> Response:
    keys = requested_keys(ctx.request.args.getlist("key"))
    if not keys:
        return webmessage.json_response(dict(SYSTEM_DEFAULTS))
    return webmessage.json_response({k: SYSTEM_DEFAULTS.get(k, "") for k in keys},
                                    headers={"Cache-Control": "no-cache, no-store, must-revalidate"})


RULES = [
    Rule("/api/loginConfig", endpoint=login_config, methods=["GET"]),
    Rule("/api/ping", endpoint=ping, methods=["GET"]),
    Rule("/api/systemSettings", endpoint=system_settings, methods=["GET"]),
]
