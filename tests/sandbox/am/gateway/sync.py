"""What the sandbox AM gateway has synced from the management side.

AM gateways learn about domain, application and protected-resource changes by polling the
repository (sync services), so a change reaches the gateway asynchronously and a token flow with
``resource=`` right after a change may not see it yet. The sandbox models that with ``config.sync_delay``: an object
whose ``updatedAt`` is younger than the delay is not seen yet; the gateway keeps serving the last
version it saw (or nothing, for a new object). Objects the gateway writes itself (DCR clients)
are known at once, as AM's ``clientSyncService.addDynamicClientRegistred`` does.

Objects changed in place without a new ``updatedAt`` (tests mutating the store directly) are
served as they are. The seeded domain is served at once, like a gateway that started with it.
"""

import copy

from tests.sandbox.am.store import now_ms

DOMAIN, APPLICATION, RESOURCE = "domain", "application", "protected_resource"


def _state(store):
    sync = store.gateway.get("sync")
    if sync is None:
        # The seed holds one domain (the sandbox's am_domain), created with the store.
        seeded = [d for d in store.domains.values() if d.get("hrid") == store.sandbox.seed["am_domain"]]
        seeded.sort(key=lambda d: d.get("createdAt") or 0)
        sync = store.gateway["sync"] = {"seen": {}, "seed_ids": {(DOMAIN, seeded[0]["id"])} if seeded else set()}
    return sync


def _stamp(obj):
    return obj.get("updatedAt") or obj.get("createdAt") or 0


def learn(store, kind, obj):
    """The gateway wrote ``obj`` itself: serve this version from now on."""
    _state(store)["seen"][(kind, obj["id"])] = {"stamp": _stamp(obj), "copy": copy.deepcopy(obj)}


def forget(store, kind, obj_id):
    _state(store)["seen"].pop((kind, obj_id), None)


def synced(store, kind, obj):
    """The version of ``obj`` the gateway serves now, or None when it has not seen it yet."""
    sync = _state(store)
    key = (kind, obj["id"])
    stamp = _stamp(obj)
    record = sync["seen"].get(key)
    if record is not None and record["stamp"] == stamp:
        return obj
    delay_ms = int(float(store.sandbox.config.sync_delay) * 1000)
    if record is not None and now_ms() - stamp < delay_ms:
        return record["copy"]
    # Old enough to be synced, or part of the seed (a changed seed object the gateway never saw has no older
    # copy to serve, so it is served as it is).
    if now_ms() - stamp >= delay_ms or key in sync["seed_ids"]:
        sync["seen"][key] = {"stamp": stamp, "copy": copy.deepcopy(obj)}
        return obj
    return None


def gateway_domain(store, path_segment):
    for domain in store.domains.values():
        view = synced(store, DOMAIN, domain)
        if view is not None and (view.get("path") or "").strip("/") == path_segment:
            return view
    return None


def gateway_clients(store, domain_id):
    """(kind, synced object) pairs of a domain: applications first, then protected resources."""
    for kind, obj in store.clients_of(domain_id):
        view = synced(store, APPLICATION if kind == "application" else RESOURCE, obj)
        if view is not None:
            yield kind, view


def gateway_resources(store, domain_id):
    for kind, view in gateway_clients(store, domain_id):
        if kind == "protected_resource":
            yield view
