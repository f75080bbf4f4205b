"""AM management API: security domains (DomainsResource.java, DomainResource.java, PatchDomain.java)."""

from tests.sandbox_tests.am.mgmt.helpers import ENV_PATH, AmClient, assert_error, direct

SUMMARY_KEYS = {"id", "hrid", "name", "description", "enabled", "master", "vhostMode", "createdAt", "updatedAt"}
UNKNOWN = "Property [{}] is not recognized as a valid property"
NOTHING = "You need to specify at least one value to update."


def _create(client, name, **fields):
    answer = client.post("/domains", json={"name": name, "dataPlaneId": "default", **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _registration(client, domain_id):
    return client.get(f"/domains/{domain_id}").json()["oidc"]["clientRegistrationSettings"]


def test_list_entries_carry_only_the_summary(sandbox):
    client = AmClient(sandbox)
    answer = client.get("/domains")
    assert answer.status_code == 200
    page = answer.json()
    assert page["currentPage"] == 0 and page["totalCount"] == 1
    entry = page["data"][0]
    assert set(entry) == SUMMARY_KEYS
    assert entry["hrid"] == "mcp-domain" and entry["id"] == client.domain_id


def test_search_is_exact_on_name_or_hrid_and_star_makes_a_case_insensitive_prefix(sandbox):
    client = AmClient(sandbox)
    for name in ("Alpha One", "alpha-two", "Beta"):
        _create(client, name)

    def names(query, **params):
        return [d["name"] for d in client.get("/domains", params={"q": query, **params}).json()["data"]]

    assert names("Alpha One") == ["Alpha One"]
    assert names("alpha-one") == ["Alpha One"]  # the hrid
    assert names("ALPHA ONE") == []  # exact means exact
    assert names("ALPHA*") == ["Alpha One", "alpha-two"]  # sorted by name, case-insensitively
    page = client.get("/domains", params={"page": 1, "size": 2}).json()
    assert page["currentPage"] == 1 and page["totalCount"] == 4
    assert [d["name"] for d in page["data"]] == ["Beta", "mcp-domain"]


def test_get_by_hrid_and_by_id(sandbox):
    client = AmClient(sandbox)
    by_hrid = client.get("/domains/_hrid/mcp-domain")
    assert by_hrid.status_code == 200
    domain = by_hrid.json()
    assert domain["id"] == client.domain_id and domain["path"] == "/mcp-domain"
    assert domain == client.get(f"/domains/{client.domain_id}").json()
    registration = domain["oidc"]["clientRegistrationSettings"]
    assert registration["isDynamicClientRegistrationEnabled"] is False
    assert "dynamicClientRegistrationEnabled" not in registration
    assert_error(client.get("/domains/_hrid/nope"), 404, "Domain [nope] can not be found.")


def test_domain_scoped_paths_need_the_id_not_the_hrid(sandbox):
    client = AmClient(sandbox)
    message = "Domain [mcp-domain] can not be found."
    assert_error(client.get("/domains/mcp-domain"), 404, message)
    assert_error(client.patch("/domains/mcp-domain", json={"enabled": True}), 404, message)
    assert_error(client.get("/domains/mcp-domain/protected-resources", params={"type": "MCP_SERVER"}), 404, message)
    assert_error(client.get("/domains/mcp-domain/applications"), 404, message)
    assert_error(client.get("/domains/mcp-domain/scopes"), 404, message)


def test_create_domain(sandbox):
    client = AmClient(sandbox)
    answer = client.post("/domains", json={"name": "My Domain", "description": "MCP", "dataPlaneId": "default"})
    assert answer.status_code == 201
    domain = answer.json()
    assert answer.headers["Location"].endswith(f"/management/organizations/DEFAULT/environments/DEFAULT/domains/"
                                               f"{domain['id']}")
    assert domain["enabled"] is False  # new domains start disabled
    assert (domain["hrid"], domain["path"], domain["name"]) == ("my-domain", "/my-domain", "My Domain")
    assert domain["dataPlaneId"] == "default" and domain["referenceId"] == "DEFAULT"
    assert not any(domain["oidc"]["clientRegistrationSettings"].values())
    scopes = client.get(f"/domains/{domain['id']}/scopes").json()
    assert {"openid", "dcr_admin"} <= {s["key"] for s in scopes["data"]}
    accented = _create(client, "Héhé It's my wonderful name !")
    assert accented["hrid"] == "hehe-its-my-wonderful-name"


def test_create_domain_errors(sandbox):
    client = AmClient(sandbox)
    _create(client, "My Domain")
    assert_error(client.post("/domains", json={"name": "my domain", "dataPlaneId": "default"}), 400,
                 "A domain [my domain] already exists.")
    assert_error(client.post("/domains", json={"name": "x"}), 400, "[dataPlaneId: must not be null]")
    assert_error(client.post("/domains", json={"dataPlaneId": "default"}), 400, "[name: must not be null]")
    assert_error(client.post("/domains", json={"name": "x", "dataPlaneId": "other"}), 400,
                 "An error occurred while trying to create a domain. Data Plane with provided Id doesn't exist.")
    assert_error(client.post("/domains", json={"name": "x", "dataPlaneId": "default", "enabled": True}), 400,
                 UNKNOWN.format("enabled"))
    assert_error(client.post("/domains", json={"name": "a/b", "dataPlaneId": "default"}), 400,
                 "Domain name cannot contain '/' character")
    assert_error(client.post("/domains", json={"name": "!!!", "dataPlaneId": "default"}), 400,
                 "'/' path is not allowed in context-path mode")
    assert_error(client.post("/domains", data="{oops", headers={"Content-Type": "application/json"}), 400,
                 "Malformed json")


def test_data_plane_is_optional_from_4_13(sandbox):
    client = AmClient(sandbox)
    sandbox.config.am_version = "4.13.0"
    status, body = direct(sandbox, "POST", ENV_PATH + "/domains",
                          client.token, {"name": "later"})
    assert status == 201 and body["dataPlaneId"] == "default"


def test_patch_enables_and_turns_on_dcr_merging_field_by_field(sandbox):
    client = AmClient(sandbox)
    domain = _create(client, "dcr")
    answer = client.patch(f"/domains/{domain['id']}", json={"enabled": True})
    assert answer.status_code == 200 and answer.json()["enabled"] is True
    assert answer.json()["updatedAt"] >= domain["updatedAt"]
    answer = client.patch(f"/domains/{domain['id']}", json={"oidc": {"clientRegistrationSettings": {
        "isDynamicClientRegistrationEnabled": True, "isOpenDynamicClientRegistrationEnabled": True}}})
    assert answer.status_code == 200
    # PUT is the same partial operation.
    answer = client.put(f"/domains/{domain['id']}", json={"oidc": {"clientRegistrationSettings": {
        "allowLocalhostRedirectUri": True}}})
    assert answer.status_code == 200
    registration = _registration(client, domain["id"])
    assert registration["isDynamicClientRegistrationEnabled"] and registration["isOpenDynamicClientRegistrationEnabled"]
    assert registration["allowLocalhostRedirectUri"] and not registration["allowHttpSchemeRedirectUri"]
    assert client.get(f"/domains/{domain['id']}").json()["enabled"] is True


def test_unknown_and_misnamed_properties_are_refused(sandbox):
    client = AmClient(sandbox)
    path = client.d()
    assert_error(client.patch(path, json={"enabled": True, "foo": 1}), 400, UNKNOWN.format("foo"))
    assert_error(client.patch(path, json={"oidc": {"clientRegistrationSettings": {"bar": True}}}), 400,
                 UNKNOWN.format("bar"))
    for name in ("dynamicClientRegistrationEnabled", "openDynamicClientRegistrationEnabled", "clientTemplateEnabled"):
        answer = client.patch(path, json={"oidc": {"clientRegistrationSettings": {name: True}}})
        assert_error(answer, 400, UNKNOWN.format(name))
    # Not modelled by the sandbox: refused rather than silently ignored.
    assert_error(client.patch(path, json={"corsSettings": {}}), 400, UNKNOWN.format("corsSettings"))
    # The first problem in document order wins.
    assert_error(client.patch(path, json={"oidc": {"x": 1}, "y": 2}), 400, UNKNOWN.format("x"))
    assert_error(client.patch(path, json={"enabled": "yes"}), 400, "Malformed json")
    assert _registration(client, client.domain_id)["isDynamicClientRegistrationEnabled"] is False


def test_null_resets_a_section_to_its_defaults(sandbox):
    client = AmClient(sandbox)
    path = client.d()
    all_on = {"allowLocalhostRedirectUri": True, "allowHttpSchemeRedirectUri": True,
              "isDynamicClientRegistrationEnabled": True, "defaultScopes": ["openid"]}
    assert client.patch(path, json={"oidc": {"clientRegistrationSettings": all_on}}).status_code == 200
    answer = client.patch(path, json={"oidc": {"clientRegistrationSettings": {"allowLocalhostRedirectUri": None}}})
    registration = answer.json()["oidc"]["clientRegistrationSettings"]
    assert registration["allowLocalhostRedirectUri"] is False and registration["allowHttpSchemeRedirectUri"] is True
    assert client.patch(path, json={"oidc": {"clientRegistrationSettings": {"defaultScopes": None}}}).status_code == 200
    assert "defaultScopes" not in _registration(client, client.domain_id)

    client.patch(path, json={"oidc": {"clientRegistrationSettings": all_on}})
    answer = client.patch(path, json={"enabled": True, "oidc": {"clientRegistrationSettings": None}})
    assert answer.status_code == 200
    assert not any(v for k, v in answer.json()["oidc"]["clientRegistrationSettings"].items())

    client.patch(path, json={"oidc": {"clientRegistrationSettings": all_on, "redirectUriStrictMatching": True}})
    answer = client.patch(path, json={"enabled": True, "oidc": None})
    oidc = answer.json()["oidc"]
    assert oidc["redirectUriStrictMatching"] is False and not any(oidc["clientRegistrationSettings"].values())
    assert client.patch(path, json={"enabled": None, "name": "mcp-domain"}).json()["enabled"] is False


def test_a_patch_must_change_something(sandbox):
    client = AmClient(sandbox)
    path = client.d()
    for body in ({}, {"oidc": None}, {"oidc": {}}, {"oidc": {"clientRegistrationSettings": None}},
                 {"loginSettings": None}, {"enabled": None}, {"dataPlaneId": "default"}):
        assert_error(client.patch(path, json=body), 400, NOTHING)
    assert_error(client.patch(path, data=b""), 400, "[domainToPatch: must not be null]")
    assert_error(client.put(path, data=b"null", headers={"Content-Type": "application/json"}), 400,
                 "[domainToPatch: must not be null]")


def test_login_settings_are_replaced_whole_not_merged(sandbox):
    client = AmClient(sandbox)
    domain = _create(client, "login")
    path = f"/domains/{domain['id']}"
    assert "loginSettings" not in domain
    login = client.patch(path, json={"loginSettings": {"registerEnabled": True}}).json()["loginSettings"]
    assert login["registerEnabled"] is True and login["inherited"] is True and login["forgotPasswordEnabled"] is False
    body = {"loginSettings": {"registerEnabled": True, "hideForm": True, "passwordlessEnforcePasswordMaxAge": 60}}
    login = client.patch(path, json=body).json()["loginSettings"]
    assert login["hideForm"] is True and login["passwordlessEnforcePasswordMaxAge"] == 60
    # Real AM (4.10.8, 4.11.1): the object sent replaces the stored one; keys not sent fall back to
    # new LoginSettings() (false, optional fields unset), they are not kept.
    login = client.patch(path, json={"loginSettings": {"forgotPasswordEnabled": True}}).json()["loginSettings"]
    assert login["forgotPasswordEnabled"] is True
    assert login["registerEnabled"] is False and login["hideForm"] is False and login["inherited"] is True
    assert "passwordlessEnforcePasswordMaxAge" not in login
    assert client.get(path).json()["loginSettings"] == login
    # "loginSettings": null is ignored (PatchDomain only sets a present value).
    login = client.patch(path, json={"enabled": True, "loginSettings": None}).json()["loginSettings"]
    assert login["forgotPasswordEnabled"] is True
    # A null boolean cannot be stored in AM's LoginSettings: AM fails with a 500.
    status, body = direct(sandbox, "PATCH", ENV_PATH + path,
                          client.token, {"loginSettings": {"registerEnabled": None}})
    assert (status, body) == (500, {"message": "An error occurred while trying to patch a domain", "http_status": 500})
    assert client.get(path).json()["loginSettings"]["forgotPasswordEnabled"] is True


def test_am_4_10_shows_the_computed_enforce_password_policy_flag_and_refuses_it_back(sandbox):
    sandbox.config.am_version = "4.10.8"
    client = AmClient(sandbox)
    path = f"/domains/{_create(client, 'enforce')['id']}"
    body = {"loginSettings": {"passwordlessEnabled": True, "passwordlessEnforcePasswordEnabled": True,
                              "passwordlessEnforcePasswordMaxAge": 60}}
    login = client.patch(path, json=body).json()["loginSettings"]
    assert login["enforcePasswordPolicyEnabled"] is True
    assert_error(client.patch(path, json={"loginSettings": login}), 400,
                 UNKNOWN.format("enforcePasswordPolicyEnabled"))
    sandbox.config.am_version = "4.12.4"
    assert "enforcePasswordPolicyEnabled" not in client.get(path).json()["loginSettings"]


def test_client_registration_settings_merge_key_by_key(sandbox):
    client = AmClient(sandbox)
    path = f"/domains/{_create(client, 'crs')['id']}"
    dcr = {"isDynamicClientRegistrationEnabled": True, "allowLocalhostRedirectUri": True}
    client.patch(path, json={"oidc": {"clientRegistrationSettings": dcr}})
    answer = client.patch(path, json={"oidc": {"clientRegistrationSettings": {"allowHttpSchemeRedirectUri": True}}})
    settings = answer.json()["oidc"]["clientRegistrationSettings"]
    assert settings["isDynamicClientRegistrationEnabled"] is True and settings["allowLocalhostRedirectUri"] is True
    assert settings["allowHttpSchemeRedirectUri"] is True


def test_magic_link_login_setting_depends_on_the_version(sandbox):
    client = AmClient(sandbox)
    body = {"loginSettings": {"magicLinkAuthEnabled": True}}
    assert client.patch(client.d(), json=body).json()["loginSettings"]["magicLinkAuthEnabled"] is True
    sandbox.config.am_version = "4.10.20"
    assert_error(client.patch(client.d(), json=body), 400, UNKNOWN.format("magicLinkAuthEnabled"))
    assert "magicLinkAuthEnabled" not in client.get(client.d()).json()["loginSettings"]


def test_rename_recomputes_the_hrid_but_not_the_path(sandbox):
    client = AmClient(sandbox)
    other = _create(client, "Other Domain")
    answer = client.patch(client.d(), json={"name": "Renamed MCP"})
    assert answer.status_code == 200
    assert (answer.json()["hrid"], answer.json()["path"]) == ("renamed-mcp", "/mcp-domain")
    assert_error(client.patch(client.d(), json={"name": "other domain"}), 400,
                 "A domain [other domain] already exists.")
    assert_error(client.patch(client.d(), json={"enabled": True, "dataPlaneId": "elsewhere"}), 400,
                 "Once domain is created, [dataPlaneId] cannot be changed.")
    assert_error(client.patch(client.d(), json={"path": other["path"]}), 400,
                 "Path [/other-domain] overlap path defined in another security domain")
    assert_error(client.patch(client.d(), json={"path": "no slash"}), 400, "Path [no slash] is invalid")


def test_delete_domain(sandbox):
    client = AmClient(sandbox)
    domain = _create(client, "short-lived")
    assert client.delete(f"/domains/{domain['id']}").status_code == 204
    assert_error(client.get(f"/domains/{domain['id']}"), 404, f"Domain [{domain['id']}] can not be found.")
