"""Connection options through a real AnsibleModule run: env fallbacks, defaults, client URLs."""

import pytest
import responses
from responses import matchers

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import connection as _connection
from ansible_collections.gravitee_community.mcp.plugins.module_utils.gravitee import GraviteeModule

ALL_ENV = [name for spec in (_connection.product_argument_spec("apim"),
                             _connection.product_argument_spec("am", session_token=True),
                             _connection.common_argument_spec())
           for option in spec.values() if "fallback" in option for name in option["fallback"][1]]
SHOWN = ("apim_url", "apim_username", "apim_org", "apim_env", "am_url", "am_username", "am_org", "am_env",
         "validate_certs", "ca_path", "timeout", "retries")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ALL_ENV:
        monkeypatch.delenv(name, raising=False)


def echo_params(products):
    def main():
        gm = GraviteeModule({}, products=products)
        gm.exit({"params": {k: gm.params.get(k) for k in SHOWN if k in gm.params},
                 "has_apim_password": bool(gm.params.get("apim_password")),
                 "has_am_token": bool(gm.params.get("am_token"))})
    return main


def test_every_documented_env_var_feeds_its_option(run_module, monkeypatch, tmp_path):
    ca_path = tmp_path / "ca.pem"
    ca_path.write_text("-----BEGIN CERTIFICATE-----\n")
    env = {"GRAVITEE_APIM_URL": "https://apim.env", "GRAVITEE_APIM_USERNAME": "envuser",
           "GRAVITEE_APIM_PASSWORD": "envpass", "GRAVITEE_APIM_ORG": "ORG1", "GRAVITEE_APIM_ENV": "ENV1",
           "GRAVITEE_AM_URL": "https://am.env", "GRAVITEE_AM_TOKEN": "am-env-token", "GRAVITEE_AM_USERNAME": "amu",
           "GRAVITEE_AM_ORG": "AMORG", "GRAVITEE_AM_ENV": "AMENV", "GRAVITEE_CA_PATH": str(ca_path),
           "GRAVITEE_VALIDATE_CERTS": "true"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = run_module(echo_params(("apim", "am")), {})
    assert out["params"] == {
        "apim_url": "https://apim.env", "apim_username": "envuser", "apim_org": "ORG1", "apim_env": "ENV1",
        "am_url": "https://am.env", "am_username": "amu", "am_org": "AMORG", "am_env": "AMENV",
        "validate_certs": True, "ca_path": str(ca_path), "timeout": 30, "retries": 3}
    assert out["has_apim_password"] and out["has_am_token"]


def test_defaults_without_env(run_module):
    out = run_module(echo_params(("apim",)), {"apim_url": "https://a", "apim_token": "pat-test-123"})
    assert out["params"] == {"apim_url": "https://a", "apim_username": None, "apim_org": "DEFAULT",
                             "apim_env": "DEFAULT", "am_url": None, "am_username": None, "am_org": "DEFAULT",
                             "am_env": "DEFAULT", "validate_certs": True, "ca_path": None, "timeout": 30,
                             "retries": 3}


@pytest.mark.parametrize("text, expected", [("false", False), ("0", False), ("no", False), ("off", False),
                                            ("False", False), ("true", True), ("1", True), ("yes", True)])
def test_validate_certs_from_env_understands_boolean_words(run_module, monkeypatch, text, expected):
    monkeypatch.setenv("GRAVITEE_VALIDATE_CERTS", text)
    out = run_module(echo_params(("apim",)), {"apim_url": "https://a", "apim_token": "pat-test-123"})
    assert out["params"]["validate_certs"] is expected


def test_task_arguments_win_over_env(run_module, monkeypatch):
    monkeypatch.setenv("GRAVITEE_APIM_URL", "https://env")
    monkeypatch.setenv("GRAVITEE_APIM_ORG", "ENVORG")
    monkeypatch.setenv("GRAVITEE_VALIDATE_CERTS", "false")
    out = run_module(echo_params(("apim",)), {"apim_url": "https://task", "apim_org": "TASKORG",
                                              "validate_certs": True, "apim_token": "pat-test-123"})
    assert (out["params"]["apim_url"], out["params"]["apim_org"], out["params"]["validate_certs"]) == (
        "https://task", "TASKORG", True)


def test_missing_url_fails(run_module):
    out = run_module(echo_params(("apim",)), {"apim_token": "pat-test-123"})
    assert out["failed"] and "apim_url" in out["msg"]


def test_missing_credentials_fail_before_any_request(run_module):
    out = run_module(echo_params(("am",)), {"am_url": "https://am"})
    assert out["failed"]
    assert out["msg"] == ("No AM credentials: set am_token (GRAVITEE_AM_TOKEN), or am_username and am_password "
                          "(GRAVITEE_AM_USERNAME / GRAVITEE_AM_PASSWORD).")


def test_env_password_is_no_log(run_module, monkeypatch):
    monkeypatch.setenv("GRAVITEE_APIM_PASSWORD", "env-pass-42")

    def main():
        gm = GraviteeModule({}, products=("apim",))
        gm.exit({"msg": "password is %s" % gm.params["apim_password"]})

    out = run_module(main, {"apim_url": "https://a", "apim_username": "admin"})
    assert "env-pass-42" not in repr(out)


@pytest.mark.parametrize("bad", [{"timeout": 0}, {"retries": -1}])
def test_bad_timeout_or_retries(run_module, bad):
    def main():
        gm = GraviteeModule({}, products=("apim",))
        gm.run(lambda gm: {"x": gm.apim.base_url})

    out = run_module(main, dict({"apim_url": "https://a", "apim_token": "pat-test-123"}, **bad))
    assert out["failed"] and ("timeout must be" in out["msg"] or "retries must be" in out["msg"])


@responses.activate
def test_clients_use_org_and_env_in_their_base(run_module):
    responses.add(responses.GET, "https://apim.example.com/prefix/management/v2/organizations/O1/environments/E1/apis",
                  json={"n": 1}, match=[matchers.header_matcher({"Authorization": "Bearer pat"})])
    responses.add(responses.GET, "https://apim.example.com/prefix/management/v2/organizations/O1/plugins/resources",
                  json=[{"id": "oauth2-am-resource"}])
    responses.add(responses.POST, "https://am.example.com/management/auth/token", json={"access_token": "jwt"})
    responses.add(responses.GET, "https://am.example.com/management/organizations/AO/environments/AE/domains",
                  json={"data": [], "totalCount": 0},
                  match=[matchers.header_matcher({"Authorization": "Bearer jwt"})])

    def main():
        gm = GraviteeModule({}, products=("apim", "am"))
        gm.run(lambda gm: {"apis": gm.apim.get("apis").body, "plugins": gm.apim_org.get("plugins/resources").body,
                           "domains": gm.am.get("domains").body, "requests": gm.log.summary()})

    out = run_module(main, {"apim_url": "https://apim.example.com/prefix/", "apim_token": "pat", "apim_org": "O1",
                            "apim_env": "E1", "am_url": "https://am.example.com", "am_username": "admin",
                            "am_password": "pw", "am_org": "AO", "am_env": "AE"})
    assert out["apis"] == {"n": 1} and out["plugins"] == [{"id": "oauth2-am-resource"}]
    assert out["domains"] == {"data": [], "totalCount": 0}
    assert out["requests"] == {"total": 4, "reads": 4, "writes": 0, "retries": 0}
