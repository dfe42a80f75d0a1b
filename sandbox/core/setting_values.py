"""Enum and Locale setting values read as DHIS2 reads them.

- Enum settings whose enum the sandbox knows: `keyAnalysisDisplayProperty` is a
  `common/DisplayProperty.java` (NAME "name", SHORTNAME "shortName": 2.41.9 :37-40, 2.42.5 and
  2.43.1 :39-42; `toString` and the JSON are the second text). 2.42.5 / 2.43.1
  `setting/LazySettings.java#parseEnum` tries `Enum#valueOf` of the text, then of it upper-cased;
  2.41.9 `user/UserSettingKey.java#getAsRealClass` (:117-139) upper-cases it first, and its
  IllegalArgumentException ("No enum constant <class>.<TEXT>") is CrudControllerAdvice's 400.
- 2.41.9 Locale settings: `getAsRealClass` reads them with commons-lang3 3.20.0
  `LocaleUtils#toLocale` (`dhis-2/pom.xml` :184), strict about case and separators; the Locale
  saved reads back as its `toString` (`vi-VN` → `vi_VN`).
"""

from __future__ import annotations

# setting key → (the enum's class, each constant's name → its toString)
_ENUMS: dict[str, tuple[str, dict[str, str]]] = {
    "keyAnalysisDisplayProperty": ("org.hisp.dhis.common.DisplayProperty",
                                   {"NAME": "name", "SHORTNAME": "shortName"}),
}


def known_enum(key: str) -> bool:
    return key in _ENUMS


def enum_name(key: str, value: str) -> str:
    """LazySettings#parseEnum: the constant's name (ValueError: no such constant)."""
    constants = _ENUMS[key][1]
    for candidate in (value, value.upper()):
        if candidate in constants:
            return candidate
    raise ValueError(value)


def enum_text(key: str, name: str) -> str:
    """The constant's toString (how its JSON and String#valueOf read)."""
    return _ENUMS[key][1][name]


def legacy_enum(key: str, value: str) -> str:
    """2.41.9 `Enum.valueOf(clazz, value.toUpperCase())`, as the constant's toString; ValueError
    with the Java message."""
    klass, constants = _ENUMS[key]
    name = value.upper()
    if name not in constants:
        raise ValueError(f"No enum constant {klass}.{name}")
    return constants[name]


def _all(text: str, test: str) -> bool:
    # StringUtils#isAllLowerCase / #isAllUpperCase / #isNumeric: every char, none for ""
    return bool(text) and all(getattr(c, test)() for c in text)


def _language(text: str) -> bool:
    return _all(text, "islower") and len(text) in (2, 3)


def _country(text: str) -> bool:
    return _all(text, "isupper") and len(text) == 2


def _area(text: str) -> bool:
    return _all(text, "isdigit") and len(text) == 3


# Locale's constructor lower-cases the language and, on JDK 17+, maps the old ISO codes
_OLD_CODES = {"iw": "he", "ji": "yi", "in": "id"}


def _locale_text(language: str, country: str = "", variant: str = "") -> str:
    # Locale#toString: language, "_" + country when either follows, "_" + variant
    text = _OLD_CODES.get(language.lower(), language.lower())
    country = country.upper()
    if country or variant:
        text += "_" + country
    if variant:
        text += "_" + variant
    return text


def legacy_locale(value: str) -> str:
    """LocaleUtils#toLocale as the Locale's toString; ValueError "Invalid locale format: x".
    A bare country code (`Locale#getISOCountries`, the JDK's list) is taken for any two
    capitals: the sandbox holds no such list."""
    refused = ValueError(f"Invalid locale format: {value}")
    if not value:
        return ""
    if "#" in value or len(value) < 2:
        raise refused
    first = value[0]
    if first in "_-":
        if len(value) < 3 or not (value[1].isupper() and value[2].isupper()):
            raise refused
        if len(value) == 3:
            return _locale_text("", value[1:3])
        if len(value) < 5 or value[3] != first:
            raise refused
        return _locale_text("", value[1:3], value[4:])
    if _language(value):
        return _locale_text(value)
    separator = "_" if "_" in value else "-"
    parts = value.split(separator, 2)
    if len(parts) == 2 and ((_language(parts[0]) and _country(parts[1])) or _area(parts[1])):
        return _locale_text(parts[0], parts[1])
    if (len(parts) == 3 and _language(parts[0]) and parts[2]
            and (not parts[1] or _country(parts[1]) or _area(parts[1]))):
        return _locale_text(*parts)
    if _country(value):
        return _locale_text("", value)
    raise refused
