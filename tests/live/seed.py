"""Give a real AM the state the sandbox starts with: the seed domain, created with dataPlaneId default and enabled.

Uses only AM's management token exchange and the domain find/create/patch calls, so the same code runs
against the sandbox (tests/live/test_seed.py) and against a real AM.
"""

import time

import requests


class SeedError(RuntimeError):
    pass


def am_token(am_url, seed, timeout=10.0, wait=0.0):
    """A management JWT for the seed's admin; retries for ``wait`` seconds while AM is still starting."""
    deadline = time.monotonic() + wait
    while True:
        try:
            response = requests.post(f"{am_url}/management/auth/token", params={"org": seed["am_org"]},
                                     auth=(seed["am_username"], seed["am_password"]), timeout=timeout)
            if response.status_code == 200:
                return response.json()["access_token"]
            failure = f"{response.status_code} {response.text[:200]}"
        except requests.RequestException as error:
            failure = str(error)
        if time.monotonic() >= deadline:
            raise SeedError(f"AM token request failed: {failure}")
        time.sleep(2)


def ensure_am_domain(am_url, seed, token, timeout=10.0):
    """Find the seed domain by hrid, create it if missing, enable it if disabled; return ``(domain, writes)``."""
    headers = {"Authorization": f"Bearer {token}"}
    env_path = f"{am_url}/management/organizations/{seed['am_org']}/environments/{seed['am_env']}"
    hrid = seed["am_domain"]
    writes = []
    found = requests.get(f"{env_path}/domains/_hrid/{hrid}", headers=headers, timeout=timeout)
    if found.status_code == 200:
        domain = found.json()
    elif found.status_code == 404:
        created = requests.post(f"{env_path}/domains", headers=headers, timeout=timeout,
                                json={"name": hrid, "description": "Seeded by the live tier", "dataPlaneId": "default"})
        if created.status_code != 201:
            raise SeedError(f"creating domain {hrid}: {created.status_code} {created.text[:300]}")
        domain = created.json()
        writes.append("create")
    else:
        raise SeedError(f"looking up domain {hrid}: {found.status_code} {found.text[:300]}")
    if domain.get("hrid") != hrid:
        raise SeedError(f"domain name {hrid!r} became hrid {domain.get('hrid')!r}; choose a slug-shaped name")
    if not domain.get("enabled"):
        patched = requests.patch(f"{env_path}/domains/{domain['id']}", headers=headers, timeout=timeout,
                                 json={"enabled": True})
        if patched.status_code != 200:
            raise SeedError(f"enabling domain {hrid}: {patched.status_code} {patched.text[:300]}")
        domain = patched.json()
        writes.append("enable")
    return domain, writes


def wait_for_domain_on_gateway(am_gateway_url, domain, timeout=60.0):
    """Seconds until the gateway serves the domain's OIDC discovery (it syncs domains asynchronously)."""
    url = f"{am_gateway_url}{domain['path']}/oidc/.well-known/openid-configuration"
    began = time.monotonic()
    while True:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return time.monotonic() - began
        except requests.RequestException:
            pass
        if time.monotonic() - began > timeout:
            raise SeedError(f"{url} not served after {timeout:.0f} s")
        time.sleep(1)


def seed_am(target, wait=0.0):
    """Everything the sandbox seeds in AM that the live tier can create (not the end user: see README)."""
    token = am_token(target.urls["am_url"], target.seed, wait=wait)
    domain, writes = ensure_am_domain(target.urls["am_url"], target.seed, token)
    if target.urls.get("am_gateway_url"):
        wait_for_domain_on_gateway(target.urls["am_gateway_url"], domain)
    return domain, writes


def ensure_am_user(am_url, seed, token, domain, timeout=10.0):
    """The seed's end user (``am_user`` / ``am_user_password``) in the domain's default identity provider.

    Returns ``(user id or None, created)``: ``created`` is False when the username was taken already (AM answers
    400 for a duplicate), so a cleanup removes only a user this run created. The users API is AM's
    ``POST .../domains/{domain}/users`` (NewUser); the sandbox has no such endpoint, so this runs only against a
    real AM.
    """
    headers = {"Authorization": f"Bearer {token}"}
    env_path = f"{am_url}/management/organizations/{seed['am_org']}/environments/{seed['am_env']}"
    users = f"{env_path}/domains/{domain['id']}/users"
    body = {"username": seed["am_user"], "password": seed["am_user_password"],
            "email": seed["am_user"] + "@example.com", "firstName": seed["am_user"], "lastName": "Live",
            "source": "default-idp-" + domain["id"], "preRegistration": False}
    created = requests.post(users, headers=headers, json=body, timeout=timeout)
    if created.status_code == 201:
        return created.json().get("id"), True
    if created.status_code == 400 and "already exists" in created.text:
        return None, False
    raise SeedError(f"creating user {seed['am_user']}: {created.status_code} {created.text[:300]}")


def delete_am_user(am_url, seed, token, domain, user_id, timeout=10.0):
    env_path = f"{am_url}/management/organizations/{seed['am_org']}/environments/{seed['am_env']}"
    requests.delete(f"{env_path}/domains/{domain['id']}/users/{user_id}",
                    headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
