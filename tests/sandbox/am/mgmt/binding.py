"""Read a request body the way AM's Jackson mapper does (ObjectMapperResolver.java).

AM binds JSON onto java classes by *field* name and refuses unknown properties.
A spec here describes one such class; :func:`bind` walks the JSON in document
order, so the first problem Jackson would hit is the one reported:

- an unknown key -> 400 ``Property [key] is not recognized as a valid property``
  (only the key's own name, not its path);
- a value of the wrong JSON type -> 400 ``Malformed json``.

The result keeps only the keys that were sent; a key sent as JSON ``null`` maps to
``None``. That is the difference between java's ``Optional.empty()`` (sent as null)
and a null ``Optional`` (not sent) that AM's PATCH models rely on.
"""

import copy

from .common import MALFORMED_JSON, MgmtError, unknown_property


def _malformed():
    return MgmtError(400, MALFORMED_JSON)


class Scalar:
    """A java String / boolean / int field, with Jackson's default scalar coercions."""

    def __init__(self, kind):
        self.kind = kind

    def bind(self, value):
        if value is None:
            return None
        if self.kind == "string":
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, (str, int, float)):
                return value if isinstance(value, str) else str(value)
        elif self.kind == "boolean":
            if isinstance(value, bool):
                return value
            if value in ("true", "false"):
                return value == "true"
        elif self.kind == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                return int(value)
        raise _malformed()


class Enum:
    """A java enum read the way AM's mapper does: ``valueOf(text.toUpperCase())``; unknown -> malformed.

    ``values`` maps the java constant to what the sandbox stores (AM writes enums lowercase)."""

    def __init__(self, values):
        self.values = values

    def bind(self, value):
        if value is None:
            return None
        if not isinstance(value, str) or value.upper() not in self.values:
            raise _malformed()
        return self.values[value.upper()]


STRING = Scalar("string")
BOOLEAN = Scalar("boolean")
INT = Scalar("int")


class ListOf:
    def __init__(self, item):
        self.item = item

    def bind(self, value):
        if value is None:
            return None
        if not isinstance(value, list):
            raise _malformed()  # Jackson does not wrap a single value into a list by default
        return [self.item.bind(v) for v in value]


class FreeMap:
    """A ``Map<String, Object>`` field (metadata): anything JSON-object goes."""

    def bind(self, value):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _malformed()
        return copy.deepcopy(value)


class Obj:
    """A java class: ``fields`` maps JSON names to specs; unknown keys fail unless ignored."""

    def __init__(self, fields, ignore_unknown=False):
        self.fields = fields
        self.ignore_unknown = ignore_unknown

    def bind(self, value):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _malformed()
        bound = {}
        for key, item in value.items():
            spec = self.fields.get(key)
            if spec is None:
                if self.ignore_unknown:
                    continue
                raise unknown_property(key)
            bound[key] = spec.bind(item)
        return bound


class Polymorphic:
    """``@JsonTypeInfo(property = "type")``: the type id picks the subtype before anything else
    is read, so a missing or unknown type id fails first (as ``Malformed json``)."""

    def __init__(self, subtypes):
        self.subtypes = subtypes  # type id -> (canonical id, Obj)

    def bind(self, value):
        if value is None:
            return None
        if not isinstance(value, dict) or not isinstance(value.get("type"), str):
            raise _malformed()
        if value["type"] not in self.subtypes:
            raise _malformed()
        canonical, spec = self.subtypes[value["type"]]
        rest = {k: v for k, v in value.items() if k != "type"}
        bound = spec.bind(rest)
        bound["type"] = canonical
        return bound


def bind(body, spec):
    """Bind a whole request body (already parsed JSON) to ``spec``."""
    return spec.bind(body)


def present(bound, key):
    """Sent with a non-null value (java: ``field != null && field.isPresent()``)."""
    return bound.get(key) is not None
