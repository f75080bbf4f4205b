"""Find, load (once) and index Gravitee's OpenAPI files.

Each management API is a set of spec documents. A document's paths are relative to each of its
``servers`` URLs, so a route is ``server url + path``: the APIM files declare both
``/management/v2`` and ``/management/v2/organizations/{orgId}`` as servers, which is why the
org-prefixed form needs no stripping; the AM file declares ``/management``.

``$ref`` values stay as they are (relative file references included): the documents go into one
:class:`referencing.Registry` under their ``file://`` URIs and every lookup is a plain JSON pointer.
"""

import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from referencing import Registry, Resource, Specification

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# OpenAPI 3.0 has no $id/anchors: every reference is "<file>#<json pointer>".
OPENAPI_30 = Specification(
    name="openapi-3.0",
    id_of=lambda contents: None,
    subresources_of=lambda contents: [],
    anchors_in=lambda specification, contents: [],
    maybe_in_subresource=lambda segments, resolver, subresource: resolver,
)

# The documents of each API, relative to the specs directory. The first APIM file holds the API and plan
# operations; the others are the files it $refs plus the installation file that holds
# GET /environments/{envId} and /organizations/{orgId}/license.
APIM_DOCUMENTS = (
    "apim/openapi-apis.yaml",
    "apim/openapi-environments.yaml",
    "apim/openapi-plugins.yaml",
    "apim/openapi-analytics.yaml",
    "apim/openapi-installation.yaml",
)
# AM: one file per version line (docs/mapi/openapi.yaml of gravitee-access-management at that tag). 4.11.x
# already has the 4.12 protected-resource API (q search, /secrets); 4.10 has neither.
AM_DOCUMENTS = {
    "4.12.4": ("am/mapi-openapi.4.12.4.yaml",),
    "4.10.20": ("am/mapi-openapi.4.10.20.yaml",),
}


class SpecsMissing(Exception):
    """The spec files are not there (e.g. a clone without the specs beside it)."""


def default_specs_dir():
    """``$CONTRACT_SPECS_DIR``, else ``shared/specs`` in the directory that holds the clone (where CI puts them)."""
    override = os.environ.get("CONTRACT_SPECS_DIR")
    if override:
        return Path(override)
    repo_root = Path(__file__).resolve().parents[2]
    return repo_root.parent / "shared" / "specs"


def check_specs_dir(specs_dir):
    """Raise :class:`SpecsMissing` naming the first absent file."""
    specs_dir = Path(specs_dir)
    wanted = list(APIM_DOCUMENTS) + [name for names in AM_DOCUMENTS.values() for name in names]
    for name in wanted:
        if not (specs_dir / name).is_file():
            raise SpecsMissing(f"Gravitee OpenAPI file {specs_dir / name} not found (set CONTRACT_SPECS_DIR, or put "
                               "the specs in shared/specs beside the clone)")
    return specs_dir


def am_spec_version(am_version):
    """The AM spec file that describes a sandbox pretending to be ``am_version``."""
    parts = tuple(int(p) for p in str(am_version).split("-")[0].split(".")[:2])
    return "4.10.20" if parts < (4, 11) else "4.12.4"


@dataclass
class Operation:
    """One (method, path) of a spec document, with the server prefix it was matched under."""

    api: "ApiSpec"
    method: str
    template: str  # full template: server url + path, e.g. /management/v2/environments/{envId}/apis
    spec_path: str  # the key under ``paths`` (what deviations name)
    uri: str  # document URI
    pointer: str  # JSON pointer of the operation object
    contents: dict
    path_item: dict

    @property
    def label(self):
        return f"{self.method.upper()} {self.template}"


@dataclass
class Route:
    template: str
    spec_path: str
    regex: re.Pattern
    literal_chars: int
    param_count: int
    uri: str
    path_pointer: str
    path_item: dict
    param_names: tuple = ()


@dataclass
class ApiSpec:
    """The documents of one management API, their registry and their route table."""

    name: str
    documents: dict  # uri -> parsed document
    registry: Registry
    routes: list = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    def contents(self, uri, pointer):
        key = (uri, pointer)
        if key not in self._cache:
            self._cache[key] = self.registry.resolver(base_uri=uri).lookup(f"{uri}#{pointer}").contents
        return self._cache[key]

    def resolve(self, uri, pointer):
        """Follow ``$ref`` chains from ``uri#pointer``; returns (uri, pointer, contents)."""
        contents = self.contents(uri, pointer)
        for _ in range(50):
            if not (isinstance(contents, dict) and "$ref" in contents):
                return uri, pointer, contents
            uri, pointer = split_ref(uri, contents["$ref"])
            contents = self.contents(uri, pointer)
        raise ValueError(f"$ref loop at {uri}#{pointer}")

    def match(self, path):
        """Every route whose template matches ``path``, most specific first."""
        found = []
        for route in self.routes:
            matched = route.regex.fullmatch(path)
            if matched:
                values = {route.param_names[int(k[1:])]: v for k, v in matched.groupdict().items()}
                found.append((route, values))
        found.sort(key=lambda pair: (pair[0].param_count, -pair[0].literal_chars))
        return found

    def operation(self, route, method):
        op = route.path_item.get(method.lower())
        if not isinstance(op, dict):
            return None
        pointer = f"{route.path_pointer}/{method.lower()}"
        return Operation(self, method.lower(), route.template, route.spec_path, route.uri, pointer, op,
                         route.path_item)


def escape_pointer(token):
    return token.replace("~", "~0").replace("/", "~1")


def split_ref(base_uri, ref):
    """Absolute (uri, pointer) of a ``$ref`` written in the document at ``base_uri``."""
    target, _, pointer = ref.partition("#")
    if target:
        base_dir = base_uri.rsplit("/", 1)[0]
        uri = Path(os.path.normpath(base_dir[len("file://"):] + "/" + target)).as_uri()
    else:
        uri = base_uri
    return uri, pointer


_PARAM = re.compile(r"\{([^}/]+)\}")


def _template_regex(template):
    """Regex for a path template; groups are named p0, p1... (names like ``protected-resource``
    are not valid group names), mapped back with the returned name list."""
    names = []
    parts = []
    pos = 0
    for found in _PARAM.finditer(template):
        parts.append(re.escape(template[pos:found.start()]))
        parts.append(f"(?P<p{len(names)}>[^/]+)")
        names.append(found.group(1))
        pos = found.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts)), names


def _build_routes(api):
    routes = []
    for uri, document in api.documents.items():
        for server in document.get("servers") or [{"url": "/"}]:
            base = server["url"].rstrip("/")
            for spec_path, item in (document.get("paths") or {}).items():
                template = base + spec_path
                regex, names = _template_regex(template)
                route = Route(
                    template=template,
                    spec_path=spec_path,
                    regex=regex,
                    literal_chars=len(_PARAM.sub("", template)),
                    param_count=len(names),
                    uri=uri,
                    path_pointer="/paths/" + escape_pointer(spec_path),
                    path_item=item,
                    param_names=tuple(names),
                )
                routes.append(route)
    return routes


def _load_yaml(path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def load_api(name, specs_dir, relative_paths):
    documents = {}
    for relative in relative_paths:
        path = (Path(specs_dir) / relative).resolve()
        documents[path.as_uri()] = _load_yaml(path)
    registry = Registry().with_resources(
        (uri, Resource(contents=doc, specification=OPENAPI_30)) for uri, doc in documents.items()
    )
    api = ApiSpec(name=name, documents=documents, registry=registry.crawl())
    api.routes = _build_routes(api)
    return api


class SpecSet:
    """All APIs, loaded lazily and once; ``load_seconds`` adds up the time spent parsing."""

    def __init__(self, specs_dir=None):
        self.specs_dir = check_specs_dir(specs_dir or default_specs_dir())
        self.load_seconds = 0.0
        self._apis = {}

    def _get(self, key, relative_paths):
        if key not in self._apis:
            started = time.perf_counter()
            self._apis[key] = load_api(key, self.specs_dir, relative_paths)
            self.load_seconds += time.perf_counter() - started
        return self._apis[key]

    def apim(self, apim_version=None):
        # Only the 4.12.17 files are here; older sandbox versions are checked against them too.
        return self._get("apim-4.12.17", APIM_DOCUMENTS)

    def am(self, am_version="4.12.4"):
        version = am_spec_version(am_version)
        return self._get(f"am-{version}", AM_DOCUMENTS[version])

    def for_component(self, component, apim_version=None, am_version="4.12.4"):
        if component == "apim_mgmt":
            return self.apim(apim_version)
        if component == "am_mgmt":
            return self.am(am_version)
        raise KeyError(component)


@functools.lru_cache(maxsize=4)
def shared_specs(specs_dir=None):
    """One :class:`SpecSet` per directory for the whole process (parsing is the slow part)."""
    return SpecSet(specs_dir)
