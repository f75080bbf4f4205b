"""AM management API: a domain's ``oidc.cimdSettings`` (AM 4.12+, PatchCIMDSettings / DomainServiceImpl) and the
``cimd/validate`` route the collection uses as its version probe."""

from tests.sandbox_tests.am.mgmt.helpers import AmClient, assert_error

UNKNOWN = "Property [{}] is not recognized as a valid property"


def _template(client, template=True):
    app = client.post(client.d("/applications"), json={"name": "tpl", "type": "NATIVE",
                                                        "redirectUris": ["https://app.example.com/cb"]}).json()
    if template:
        assert client.patch(client.d("/applications/" + app["id"]), json={"template": True}).json()["template"]
    return app["id"]


def test_new_domains_carry_the_defaults_and_patch_merges_key_by_key(sandbox):
    client = AmClient(sandbox)
    settings = client.get(client.d()).json()["oidc"]["cimdSettings"]
    assert settings == {"enabled": False, "allowUnsecuredHttpUri": False, "allowPrivateIpAddress": False,
                        "fetchTimeoutMs": 5000, "maxResponseSizeKb": 10, "cacheTtlSeconds": 86400,
                        "cacheMaxEntries": 1000, "revokeOnDocumentChange": False}
    template_id = _template(client)
    answer = client.patch(client.d(), json={"oidc": {"cimdSettings": {"enabled": True, "templateId": template_id}}})
    assert answer.status_code == 200, answer.text
    answer = client.patch(client.d(), json={"oidc": {"cimdSettings": {"allowedDomains": ["*.example.com"]}}})
    merged = answer.json()["oidc"]["cimdSettings"]
    assert merged["enabled"] is True and merged["templateId"] == template_id
    assert merged["allowedDomains"] == ["*.example.com"] and merged["fetchTimeoutMs"] == 5000


def test_enabling_is_checked_as_am_does(sandbox):
    client = AmClient(sandbox)
    patch = {"oidc": {"cimdSettings": {"enabled": True}}}
    assert_error(client.patch(client.d(), json=patch), 400,
                 "templateId must be provided when Client ID Metadata Document is enabled")
    not_template = _template(client, template=False)
    patch["oidc"]["cimdSettings"]["templateId"] = not_template
    assert_error(client.patch(client.d(), json=patch), 400,
                 "templateId must be a valid application id configured as template")
    patch["oidc"]["cimdSettings"].update(templateId=_template(client), fetchTimeoutMs=0)
    assert_error(client.patch(client.d(), json=patch), 400,
                 "CIMD settings are invalid: fetch timeout must be higher than 0")
    patch["oidc"]["cimdSettings"].update(fetchTimeoutMs=100, allowedDomains=["https://x.example.com"])
    assert_error(client.patch(client.d(), json=patch), 400, "CIMD settings are invalid: allowed domains must be a "
                 "list of valid domains and wildcard is only allowed for first-level subdomain")
    assert_error(client.patch(client.d(), json={"oidc": {"cimdSettings": {"bogus": 1}}}), 400, UNKNOWN.format("bogus"))


def test_before_4_12_there_is_no_cimd(sandbox):
    sandbox.config.am_version = "4.11.14"
    client = AmClient(sandbox)
    assert "cimdSettings" not in client.get(client.d()).json()["oidc"]
    assert_error(client.patch(client.d(), json={"oidc": {"cimdSettings": {"enabled": False}}}), 400,
                 UNKNOWN.format("cimdSettings"))
    assert_error(client.get(client.d("/cimd/validate")), 404, "HTTP 404 Not Found")


def test_the_validate_route_is_post_only_and_needs_cimd_on(sandbox):
    client = AmClient(sandbox)
    assert_error(client.get(client.d("/cimd/validate")), 405, "HTTP 405 Method Not Allowed")
    assert_error(client.post(client.d("/cimd/validate"), json={"url": "https://app.example.com/doc.json"}), 400,
                 "CIMD is not enabled for this domain.")
