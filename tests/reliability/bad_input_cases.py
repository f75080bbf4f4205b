"""The bad-input table of the modules: one row per wrong input a user can give (no tests here).

Each :class:`Case` is one task of its module with the sandbox's connection (GRAVITEE_* variables) and the
module's usual options, changed by ``args`` (a value ``None`` removes that option). ``names`` must all appear in
the failure message (the option, and the value when the message quotes it); ``fix`` the words of the fix,
where the module gives one.
"""

from dataclasses import dataclass, field

COLLECTION = "gravitee_community.mcp."
GATEWAY = "http://127.0.0.1:1/mcp-proxy/"  # never reached: every case fails before any request to it


@dataclass(frozen=True)
class Case:
    id: str
    module: str
    args: dict
    names: tuple
    fix: tuple = ()
    env: dict = field(default_factory=dict)


def base_args(module, sandbox):
    """The options a correct task of ``module`` would have on the sandbox."""
    seed, urls = sandbox.seed, sandbox.urls
    return {
        "apim_api": {"name": "Bad input API", "context_path": "/bad-input", "upstream_url": urls["upstream_url"]},
        "apim_plan": {"api": "Bad input API", "name": "Keyless", "security": "keyless"},
        "am_mcp_server": {"domain": seed["am_domain"], "name": "Bad input server",
                          "resource_identifier": [urls["apim_gateway_url"] + "/bad-input/"]},
        "am_dcr": {"domain": seed["am_domain"]},
        "am_registration": {"domain": seed["am_domain"]},
        "mcp_probe": {"url": GATEWAY, "probe_delay": 0, "probe_retries": 0},
        "preflight": {"api_name": "Bad input API", "context_path": "/bad-input", "domain": seed["am_domain"],
                      "resource_identifier": urls["apim_gateway_url"] + "/bad-input/",
                      "am_gateway_url": urls["am_gateway_url"]},
    }[module]


def task_args(case, sandbox):
    args = dict(base_args(case.module, sandbox))
    for key, value in case.args.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return args


def _cases(module, rows):
    return [Case(f"{module}: {row[0]}", module, *row[1:]) for row in rows]


NOT_BOOL = "is not a valid boolean"
CHOICES = "must be one of"
REQUIRED = "missing required arguments"

APIM_API = _cases("apim_api", [
    ("name missing", {"name": None}, ("name", REQUIRED)),
    ("state not a choice", {"state": "gone"}, ("state", CHOICES, "present, absent")),
    ("type not a choice", {"type": "grpc"}, ("type", CHOICES, "mcp_proxy, proxy")),
    ("context_path missing", {"context_path": None}, ("context_path", "state is present")),
    ("context_path is /", {"context_path": "/"}, ("context_path", "'/'"), ("/mcp-proxy",)),
    ("context_path with a space", {"context_path": "/mcp proxy"}, ("context_path", "'/mcp proxy'")),
    ("context_path with a query", {"context_path": "/mcp?x=1"}, ("context_path", "'/mcp?x=1'")),
    ("upstream_url missing", {"upstream_url": None}, ("upstream_url", "state is present")),
    ("upstream_url without scheme", {"upstream_url": "mcp-server:3001/mcp"}, ("upstream_url", "mcp-server:3001/mcp"),
     ("http://",)),
    ("upstream_url ftp", {"upstream_url": "ftp://mcp-server/mcp"}, ("upstream_url", "ftp://mcp-server/mcp")),
    ("gateway_url without host", {"gateway_url": "https://"}, ("gateway_url", "'https://'")),
    ("labels a dict", {"labels": {"a": 1}}, ("labels",)),
    ("resources entry without type", {"resources": [{"name": "r", "configuration": {}}]}, ("type", "resources")),
    ("resources configuration not a dict",
     {"resources": [{"name": "r", "type": "oauth2-am-resource", "configuration": "not-a-dict"}]},
     ("configuration",)),
    ("resources names twice",
     {"resources": [{"name": "r", "type": "t", "configuration": {}}, {"name": "r", "type": "t", "configuration": {}}]},
     ("resources", "r"), ("unique",)),
    ("deployed not a bool", {"deployed": "maybe"}, ("deployed", NOT_BOOL)),
    ("purge_resources not a bool", {"purge_resources": "yes please"}, ("purge_resources", NOT_BOOL)),
    ("api_version empty", {"api_version": ""}, ("api_version", "empty"), ("for example 1.0", "leave it out")),
    ("unknown api_id", {"api_id": "0b4c1f9e-0000-4000-8000-000000000000"}, ("api_id", "0b4c1f9e"),
     ("leave api_id out",)),
    ("misspelt option", {"contextpath": "/x"}, ("contextpath", "Unsupported parameters")),
    ("timeout zero", {"timeout": 0}, ("timeout", "positive")),
    ("timeout not a number", {"timeout": "soon"}, ("timeout", "int")),
    ("retries negative", {"retries": -1}, ("retries", "0 or more")),
    ("apim_url empty", {"apim_url": ""}, ("apim_url", "GRAVITEE_APIM_URL")),
    ("apim_username without password", {"apim_password": ""}, ("apim_username / apim_password",),
     ("GRAVITEE_APIM_PASSWORD",)),
])

APIM_PLAN = _cases("apim_plan", [
    ("neither api nor api_id", {"api": None}, ("api", "api_id", "one of the following is required")),
    ("both api and api_id", {"api_id": "x"}, ("api", "api_id", "mutually exclusive")),
    ("name missing", {"name": None}, ("name", REQUIRED)),
    ("security missing", {"security": None}, ("security", "published"), ("keyless or oauth2",)),
    ("security not a choice", {"security": "jwt"}, ("security", CHOICES, "keyless, oauth2")),
    ("oauth2 without its options", {"security": "oauth2"}, ("oauth2.resource",), ("apim_api resources",)),
    ("oauth2 options on keyless", {"oauth2": {"resource": "AM"}}, ("oauth2", "security: oauth2"),
     ("remove oauth2",)),
    ("oauth2 without resource", {"security": "oauth2", "oauth2": {"required_scopes": ["openid"]}},
     ("resource", "oauth2", REQUIRED)),
    ("oauth2 flag not a bool", {"security": "oauth2", "oauth2": {"resource": "AM", "mode_strict": "perhaps"}},
     ("mode_strict", NOT_BOOL)),
    ("state not a choice", {"state": "open"}, ("state", CHOICES, "published")),
    ("deploy not a bool", {"deploy": "sometimes"}, ("deploy", NOT_BOOL)),
    ("api that does not exist", {"api": "No such API"}, ("'No such API'", "apim_env"), ("Create it first",)),
])

AM_MCP_SERVER = _cases("am_mcp_server", [
    ("domain missing", {"domain": None}, ("domain", REQUIRED)),
    ("resource_identifier missing", {"resource_identifier": None}, ("resource_identifier", REQUIRED)),
    ("resource_identifier empty list", {"resource_identifier": []}, ("resource_identifier", "at least one")),
    ("resource_identifier not a URL", {"resource_identifier": ["mcp-proxy"]}, ("resource_identifier", "'mcp-proxy'")),
    ("resource_identifier twice", {"resource_identifier": ["https://gw.example.com/a/", "https://gw.example.com/a/"]},
     ("resource_identifier", "listed twice"), ("list each identifier once",)),
    ("name empty", {"name": " "}, ("name", "1 to 64")),
    ("name too long", {"name": "n" * 65}, ("name", "1 to 64", "65")),
    ("tool name with spaces", {"tools": [{"name": "get weather"}]}, ("tools", "'get weather'", "a-z")),
    ("tool names twice", {"tools": [{"name": "t1"}, {"name": "t1"}]}, ("tools", "unique", "t1")),
    ("tool without name", {"tools": [{"description": "no name"}]}, ("name", "tools", REQUIRED)),
    ("tool with an empty scope", {"tools": [{"name": "t1", "scopes": [" "]}]}, ("tools", "'t1'", "empty scope"),
     ("remove it",)),
    ("tool scope unknown to the domain", {"tools": [{"name": "t1", "scopes": ["weather_read_nope"]}]},
     ("tools", "weather_read_nope"), ("create them in the domain first",)),
    ("update_secret not a choice", {"update_secret": "sometimes"}, ("update_secret", CHOICES, "on_create, always")),
    ("rotate_secret not a bool", {"rotate_secret": "often"}, ("rotate_secret", NOT_BOOL)),
    ("rotate_secret with state absent", {"state": "absent", "rotate_secret": True}, ("rotate_secret", "absent"),
     ("remove it",)),
    ("domain that does not exist", {"domain": "no-such-domain"}, ("domain", "'no-such-domain'"),
     ("create the domain in AM first",)),
    ("am_url empty", {"am_url": ""}, ("am_url", "GRAVITEE_AM_URL")),
    ("client_secret too short", {"client_secret": "x7"}, ("client_secret", "at least 8 characters")),
    ("add_secret empty", {"add_secret": " "}, ("add_secret", "not empty")),
    ("rotate_secret with add_secret", {"rotate_secret": True, "add_secret": "r1"}, ("rotate_secret", "add_secret"),
     ("choose one",)),
    ("remove_secrets_except with state absent", {"state": "absent", "remove_secrets_except": "r1"},
     ("remove_secrets_except", "absent"), ("remove it",)),
])

AM_DCR = _cases("am_dcr", [
    ("domain missing", {"domain": None}, ("domain", REQUIRED)),
    ("state not a choice", {"state": "on"}, ("state", CHOICES, "present, absent")),
    ("absent with enabled", {"state": "absent", "enabled": True}, ("state=absent", "enabled=true"),
     ("remove one of the two",)),
    ("absent with scopes", {"state": "absent", "default_scopes": ["openid"]}, ("default_scopes", "state=absent"),
     ("state=present with enabled=false",)),
    ("default scope with a space", {"default_scopes": ["openid profile"]}, ("default_scopes", "'openid profile'"),
     ("one scope key per list item",)),
    ("allowed scope empty", {"allowed_scopes": [""]}, ("allowed_scopes", "''")),
    ("default scope unknown to the domain", {"default_scopes": ["no_such_scope"]},
     ("default_scopes", "'no_such_scope'"), ("Create the scope in the domain first",)),
    ("open_registration not a bool", {"open_registration": "maybe"}, ("open_registration", NOT_BOOL)),
    ("domain that does not exist", {"domain": "no-such-domain"}, ("domain", "'no-such-domain'"),
     ("create the domain in AM first",)),
])

AM_REGISTRATION = _cases("am_registration", [
    ("domain missing", {"domain": None}, ("domain", REQUIRED)),
    ("absent with enabled", {"state": "absent", "enabled": True}, ("state=absent", "enabled=true"),
     ("remove one of the two",)),
    ("remember_me not a bool", {"remember_me": "often"}, ("remember_me", NOT_BOOL)),
    ("state not a choice", {"state": "off"}, ("state", CHOICES)),
    ("domain that does not exist", {"domain": "no-such-domain"}, ("domain", "'no-such-domain'"),
     ("create the domain in AM first",)),
    ("am_username without password", {"am_password": ""}, ("am_username / am_password",),
     ("GRAVITEE_AM_PASSWORD",)),
])

MCP_PROBE = _cases("mcp_probe", [
    ("url missing", {"url": None}, ("url", REQUIRED)),
    ("url without scheme", {"url": "gateway.example.com/mcp-proxy/"}, ("url", "gateway.example.com/mcp-proxy/"),
     ("http://",)),
    ("expect not a choice", {"expect": "closed"}, ("expect", CHOICES, "open, oauth2")),
    ("check not a choice", {"checks": ["everything"]}, ("checks", "one or more of", "everything")),
    ("open with register_client", {"expect": "open", "register_client": True}, ("register_client", "expect=oauth2")),
    ("oauth2 check with expect open", {"expect": "open", "checks": ["registration"]},
     ("checks", "registration", "expect=open")),
    ("login check without a user", {"checks": ["login"]}, ("checks", "login"), ("set username and password",)),
    ("username without password", {"username": "alice"}, ("username", "password", "required together")),
    ("probe_delay negative", {"probe_delay": -1}, ("probe_delay", "0 or more")),
    ("probe_delay not a number", {"probe_delay": "later"}, ("probe_delay", "float")),
    ("probe_retries negative", {"probe_retries": -1}, ("probe_retries", "0 or more")),
    ("client_name blank", {"client_name": "  "}, ("client_name", "empty")),
    ("probe_timeout zero", {"probe_timeout": 0}, ("probe_timeout", "positive")),
    ("timeout zero", {"timeout": 0}, ("timeout", "positive")),
])

PREFLIGHT = _cases("preflight", [
    ("api_name missing", {"api_name": None}, ("api_name", REQUIRED)),
    ("domain missing", {"domain": None}, ("domain", REQUIRED)),
    ("check not a choice", {"checks": ["everything"]}, ("checks", "one or more of", "everything")),
    ("context_path check without a path", {"context_path": None}, ("context_path", "/mcp-proxy")),
    ("secret check without the AM gateway", {"am_gateway_url": "am-gw:8092"}, ("am_gateway_url", "'am-gw:8092'"),
     ("GRAVITEE_AM_GATEWAY_URL",)),
    ("secret_recovery not a choice", {"secret_recovery": "pray"}, ("secret_recovery", CHOICES, "rotate, fail")),
    ("wait_attempts zero", {"wait_attempts": 0}, ("wait_attempts", "1 or more")),
    ("client_secret too short", {"client_secret": "x7"}, ("client_secret", "at least 8 characters")),
    ("domain that does not exist", {"domain": "no-such-domain"}, ("domain", "'no-such-domain'"),
     ("create the domain in AM first",)),
    ("apim_env that does not exist", {"apim_env": "NO-SUCH-ENV"}, ("apim_env",)),
])

MODULE_CASES = APIM_API + APIM_PLAN + AM_MCP_SERVER + AM_DCR + AM_REGISTRATION + MCP_PROBE + PREFLIGHT
