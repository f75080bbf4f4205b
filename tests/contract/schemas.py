"""Validate a JSON value against a spec schema, the OpenAPI 3.0 way, and list what is wrong.

Built on openapi-schema-validator's OAS 3.0 validators (nullable, readOnly/writeOnly, int32...)
with one fix: its ``allOf`` + ``discriminator`` handling recurses forever on Gravitee's
"base schema with discriminator, subtype = allOf[base, ...]" pattern (GenericApi/ApiV4,
ProtectedResourceFeature/McpTool). Here:

- ``oneOf``/``anyOf`` with a discriminator validate the mapped schema only (mapping values may be
  bare schema names, as in APIM's ``Selector``); an unknown value is an error;
- a discriminator next to ``properties``/``allOf`` (polymorphic base) also validates the mapped
  subtype when the value maps to one, guarded against re-entering the same subtype;
- mapping keys match case-insensitively when no exact key exists (AM writes enums lowercase; the
  ``enum`` keyword still reports the case difference on its own).

On top of schema errors, :class:`SchemaChecker` reports **undeclared properties**: keys of an
object that no effective schema declares (``properties`` of the schema, its ``allOf`` parts, the
chosen ``oneOf``/``anyOf`` branch or discriminator subtype) when none of them is open
(``additionalProperties`` or a free-form ``type: object``). The specs never say
``additionalProperties: false``; the check is what makes a contract of them.
"""

import reprlib
from dataclasses import dataclass

from jsonschema import _keywords as js_keywords
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.validators import extend
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, oas30_format_checker
from referencing.exceptions import Unresolvable

from .specs import escape_pointer, split_ref

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxdict = 4
_short.maxlist = 4

# (id(instance), id(subtype schema)) pairs being validated right now: stops base -> subtype -> base loops.
_ACTIVE_DISPATCH = set()


def mapped_ref(discriminator, value):
    """The ``$ref`` a discriminator value selects (explicit mapping, then implicit schema name)."""
    mapping = discriminator.get("mapping") or {}
    target = mapping.get(value)
    if target is None and isinstance(value, str):
        target = next((v for k, v in mapping.items() if k.lower() == value.lower()), None)
    if target is None:
        target = str(value)
    if "#" not in target and "/" not in target:
        target = "#/components/schemas/" + target
    return target


def _dispatch(validator, instance, schema, strict):
    discriminator = schema["discriminator"]
    if not validator.is_type(instance, "object"):
        return
    name = discriminator["propertyName"]
    value = instance.get(name)
    if value is None:
        if strict:
            yield ValidationError(f"discriminator property {name!r} is missing")
        return
    ref = mapped_ref(discriminator, value)
    try:
        resolved = validator._resolver.lookup(ref)
    except Unresolvable:
        if strict:
            known = sorted(discriminator.get("mapping") or {})
            yield ValidationError(f"{name}={value!r} selects no schema (mapping: {known})")
        return
    key = (id(instance), id(resolved.contents))
    if key in _ACTIVE_DISPATCH:
        return
    _ACTIVE_DISPATCH.add(key)
    try:
        errors = list(validator.descend(instance, {"$ref": ref}))
    finally:
        _ACTIVE_DISPATCH.discard(key)
    yield from errors


def _one_of(validator, one_of, instance, schema):
    if "discriminator" in schema:
        yield from _dispatch(validator, instance, schema, strict=True)
    else:
        yield from js_keywords.oneOf(validator, one_of, instance, schema)


def _any_of(validator, any_of, instance, schema):
    if "discriminator" in schema:
        yield from _dispatch(validator, instance, schema, strict=True)
    else:
        yield from js_keywords.anyOf(validator, any_of, instance, schema)


def _all_of(validator, all_of, instance, schema):
    yield from js_keywords.allOf(validator, all_of, instance, schema)


def _discriminator(validator, discriminator, instance, schema):
    if "oneOf" in schema or "anyOf" in schema:
        return  # handled by those keywords
    yield from _dispatch(validator, instance, schema, strict=False)


_FIXES = {"oneOf": _one_of, "anyOf": _any_of, "allOf": _all_of, "discriminator": _discriminator}
# Requests: plain OAS 3.0 (readOnly fields in a request are allowed: APIM ignores them on input).
RequestValidator = extend(OAS30Validator, _FIXES)
# Responses: a writeOnly property must not come back, required writeOnly ones are not required.
ResponseValidator = extend(OAS30ReadValidator, _FIXES)


@dataclass(frozen=True)
class Finding:
    """One problem in a JSON value: where (path segments), what kind, human message."""

    path: tuple
    kind: str
    message: str

    @property
    def where(self):
        return format_path(self.path)


def format_path(path):
    text = "$"
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return text


def _kind_of(error):
    """The finding kind: the failing keyword, made precise where deviations need it.

    ``enum-lowercase``: the value is an enum member written in lower case (AM's mapper does that);
    ``enum-case``: any other case difference; ``null``: a null where the schema is not nullable.
    """
    if error.validator == "enum" and isinstance(error.instance, str):
        lowered = [v.lower() for v in error.validator_value if isinstance(v, str)]
        if error.instance.lower() in lowered:
            return "enum-lowercase" if error.instance == error.instance.lower() else "enum-case"
    if error.validator == "type" and error.instance is None:
        return "null"
    return str(error.validator)


def _message(error):
    if error.validator in ("oneOf", "anyOf") and error.context:
        closest = best_match(error.context)
        return f"matches no {error.validator} branch; closest: {format_path(closest.absolute_path)}: {closest.message}"
    if error.validator == "enum":
        return f"{_short.repr(error.instance)} is not one of {error.validator_value}"
    if error.validator == "type":
        return f"{_short.repr(error.instance)} is not of type {error.validator_value!r}"
    message = error.message
    return message if len(message) <= 300 else message[:297] + "..."


class SchemaChecker:
    """Checks JSON values against schemas of one :class:`~.specs.ApiSpec` (validators cached)."""

    def __init__(self, api):
        self.api = api
        self._validators = {}

    def _validator(self, uri, pointer, response):
        key = (uri, pointer, response)
        if key not in self._validators:
            cls = ResponseValidator if response else RequestValidator
            self._validators[key] = cls(
                {"$ref": f"{uri}#{pointer}"}, registry=self.api.registry, format_checker=oas30_format_checker
            )
        return self._validators[key]

    def check(self, instance, uri, pointer, response, strict_properties=True):
        """Every :class:`Finding` for ``instance`` against the schema at ``uri#pointer``."""
        findings = []
        for error in self._validator(uri, pointer, response).iter_errors(instance):
            findings.append(Finding(tuple(error.absolute_path), _kind_of(error), _message(error)))
        if strict_properties:
            self._walk(instance, uri, pointer, (), response, findings)
        # A subtype repeats its base (allOf), so the same error can come twice.
        return list(dict.fromkeys(findings))

    # -- undeclared properties -------------------------------------------------------------
    def _discriminated(self, instance, uri, schema):
        if not isinstance(instance, dict):
            return None
        value = instance.get(schema["discriminator"]["propertyName"])
        if value is None:
            return None
        target_uri, target_pointer = split_ref(uri, mapped_ref(schema["discriminator"], value))
        try:
            self.api.contents(target_uri, target_pointer)
        except Unresolvable:
            return None
        return target_uri, target_pointer

    def _effective(self, instance, uri, pointer, response, seen):
        """The schema and every part of it that applies to this very instance."""
        uri, pointer, schema = self.api.resolve(uri, pointer)
        if (uri, pointer) in seen or not isinstance(schema, dict):
            return
        seen.add((uri, pointer))
        yield uri, pointer, schema
        for index in range(len(schema.get("allOf", []))):
            yield from self._effective(instance, uri, f"{pointer}/allOf/{index}", response, seen)
        branches = [kw for kw in ("oneOf", "anyOf") if kw in schema]
        if "discriminator" in schema:
            target = self._discriminated(instance, uri, schema)
            if target:
                yield from self._effective(instance, *target, response, seen)
        elif branches:
            for keyword in branches:
                pointers = [f"{pointer}/{keyword}/{i}" for i in range(len(schema[keyword]))]
                valid = [p for p in pointers if self._validator(uri, p, response).is_valid(instance)]
                for branch in valid or pointers:
                    yield from self._effective(instance, uri, branch, response, seen)

    @staticmethod
    def _free_form(schema):
        shaping = ("properties", "additionalProperties", "allOf", "oneOf", "anyOf", "discriminator", "items")
        return not any(key in schema for key in shaping) and schema.get("type", "object") == "object"

    def _walk(self, instance, uri, pointer, path, response, findings):
        if not isinstance(instance, (dict, list)):
            return
        parts = list(self._effective(instance, uri, pointer, response, set()))
        if isinstance(instance, list):
            for part_uri, part_pointer, schema in parts:
                if isinstance(schema.get("items"), dict):
                    for index, item in enumerate(instance):
                        self._walk(item, part_uri, f"{part_pointer}/items", path + (index,), response, findings)
            return
        declared, extra, open_object = {}, [], False
        for part_uri, part_pointer, schema in parts:
            for name in schema.get("properties") or {}:
                declared.setdefault(name, []).append((part_uri, f"{part_pointer}/properties/{escape_pointer(name)}"))
            additional = schema.get("additionalProperties")
            if isinstance(additional, dict):
                extra.append((part_uri, f"{part_pointer}/additionalProperties"))
            elif additional is not None:
                open_object = True  # true: anything goes; false: the validator already reports extras
            if self._free_form(schema):
                open_object = True
        for name, value in instance.items():
            targets = declared.get(name) or extra
            if targets:
                for target_uri, target_pointer in targets:
                    self._walk(value, target_uri, target_pointer, path + (name,), response, findings)
            elif not open_object:
                findings.append(Finding(path + (name,), "undeclared-property",
                                        f"property {name!r} is not declared by the schema"))
