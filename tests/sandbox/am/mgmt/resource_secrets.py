"""Client secrets of a protected resource (ProtectedResourceSecretsResource.java), AM 4.11+.

Listing never shows a secret value; adding and renewing show the new plain secret once.
A resource keeps at least one and at most 10 secrets (``applications.secretsMax``).
"""

from tests.sandbox.am.store import hash_secret, random_secret

from .binding import STRING, Obj, bind
from .common import MgmtError, bad_request, json_response, no_content, read_json, render, violations
from .resources import find_in_domain

SINCE = "4.11.0"
SECRETS_MAX = 10
NEW_CLIENT_SECRET = Obj({"name": STRING})


def _safe(record):
    """ClientSecret.safeSecret(): everything but the value."""
    return render({"id": record["id"], "settingsId": record.get("settingsId"), "name": record.get("name"),
                   "createdAt": record.get("createdAt"), "expiresAt": record.get("expiresAt")})


def _with_value(record, raw):
    document = _safe(record)
    shown = {k: document[k] for k in ("id", "settingsId", "name") if k in document}
    shown["secret"] = raw
    shown.update({k: document[k] for k in ("createdAt", "expiresAt") if k in document})
    return shown


def _secret(resource, secret_id):
    for record in resource["_secrets"]:
        if record["id"] == secret_id:
            return record
    raise MgmtError(404, f"Secret [{secret_id}] can not be found.")


async def list_secrets(ctx):
    resource = find_in_domain(ctx, ctx.domain())
    return json_response([_safe(r) for r in resource["_secrets"]])


async def add_secret(ctx):
    body = await read_json(ctx.request, param="clientSecret")
    new = bind(body, NEW_CLIENT_SECRET)
    name = new.get("name")
    if not name:
        raise violations([(name if name is not None else "name", "must not be empty")])
    resource = find_in_domain(ctx, ctx.domain())
    name = name.strip()
    if any(r.get("name") == name for r in resource["_secrets"]):
        raise bad_request(f"Secret with description {name} already exists")
    if len(resource["_secrets"]) >= SECRETS_MAX:
        raise bad_request(f"Too many Client Secrets. Cannot create more than {SECRETS_MAX} secrets")
    raw = random_secret()
    record = ctx.store.new_secret_record(raw, name=name)
    resource["_secrets"].append(record)
    return json_response(_with_value(record, raw), status=201)


async def renew_secret(ctx):
    resource = find_in_domain(ctx, ctx.domain())
    record = _secret(resource, ctx.params["secret"])
    raw = random_secret()
    record["hash"] = hash_secret(raw)
    return json_response(_with_value(record, raw))


async def delete_secret(ctx):
    resource = find_in_domain(ctx, ctx.domain())
    if len(resource["_secrets"]) <= 1:
        raise bad_request("Cannot remove last secret")  # checked before the secret id, as in AM
    record = _secret(resource, ctx.params["secret"])
    resource["_secrets"].remove(record)
    return no_content()


PREFIX = r"{D}/protected-resources/(?P<resource>[^/]+)/secrets"
ROUTES = [
    (PREFIX, {"GET": list_secrets, "POST": add_secret}, SINCE),
    (PREFIX + r"/(?P<secret>[^/]+)", {"DELETE": delete_secret}, SINCE),
    (PREFIX + r"/(?P<secret>[^/]+)/_renew", {"POST": renew_secret}, SINCE),
]
