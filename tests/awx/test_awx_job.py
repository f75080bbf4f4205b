"""The README's AWX recipe, end to end against the sandbox: a project synced through collections/requirements.yml,
the custom credential type's injectors, the survey's answers as extra vars, playbooks/secure_mcp.yml through
ansible-runner (what AWX runs). The job secures the sandbox's MCP server, a second launch changes nothing, and no
secret is in any file of the runner's artifacts. (tests/awx/awx_job.py does what AWX does around the runner.)
"""

import os

import pytest
import yaml

from tests.awx import awx_job
from tests.collection_path import REPO_ROOT as REPO
from tests.integration.harness import is_write
from tests.reliability.secrets_scan import harvest, places_of_directory, scan

PLAYBOOK = "playbooks/secure_mcp.yml"


def credential_inputs(sandbox):
    """A credential as an AWX admin fills it in: APIM by personal access token, AM by username and password."""
    seed, urls = sandbox.seed, sandbox.urls
    return {"apim_url": urls["apim_url"], "apim_token": seed["apim_token"], "am_url": urls["am_url"],
            "am_username": seed["am_username"], "am_password": seed["am_password"], "am_domain": seed["am_domain"],
            "apim_gateway_url": urls["apim_gateway_url"], "am_gateway_url": urls["am_gateway_url"]}


def answers(sandbox):
    return {"secure_mcp_name": "AWX MCP server", "secure_mcp_context_path": "/awx-mcp",
            "secure_mcp_upstream_url": sandbox.urls["upstream_url"], "secure_mcp_user_registration": "true",
            "secure_mcp_verify": "login", "secure_mcp_verify_username": sandbox.seed["am_user"],
            "secure_mcp_verify_password": sandbox.seed["am_user_password"]}


# Job template extra vars (not survey questions): probes retry faster against the local sandbox.
JOB_EXTRA_VARS = {"secure_mcp_probe_delay": "0.5"}


def test_survey_asks_only_for_role_variables_and_the_credential_type_for_every_connection_setting():
    with open(os.path.join(REPO, "roles", "secure_mcp", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    survey = awx_job.load_survey()
    variables = [q["variable"] for q in survey["spec"]]
    assert len(variables) == len(set(variables)) and set(variables) <= set(options)
    required = {name for name, spec in options.items() if spec.get("required")}
    assert required <= {q["variable"] for q in survey["spec"] if q["required"]}
    for question in survey["spec"]:
        if question["type"] == "multiplechoice":
            assert set(question["choices"].split("\n")) <= set(map(str, options[question["variable"]].get(
                "choices") or ["true", "false"])), question
    credential_type = awx_job.load_credential_type()
    fields = {f["id"]: f for f in credential_type["inputs"]["fields"]}
    assert {f for f, spec in fields.items() if spec.get("secret")} == {
        "apim_password", "apim_token", "am_password", "am_token"}
    injectors = credential_type["injectors"]
    # Secrets only as extra vars (never in the environment, which ansible-runner copies into its artifacts).
    assert set(injectors["extra_vars"]) == {"secure_mcp_apim_password", "secure_mcp_apim_token",
                                            "secure_mcp_am_password", "secure_mcp_am_token"}
    assert not any(secret in template for template in injectors["env"].values()
                   for secret in ("password", "token"))


def test_an_unset_ca_bundle_leaves_ca_path_unset_and_a_given_one_is_a_file(tmp_path):
    credential_type = awx_job.load_credential_type()
    env, _ = awx_job.inject(credential_type, {"apim_url": "https://apim", "am_url": "https://am"}, str(tmp_path / "a"))
    assert env["GRAVITEE_CA_PATH"] == "" and env["GRAVITEE_VALIDATE_CERTS"] == "true"
    assert env["GRAVITEE_APIM_ORG"] == "DEFAULT" and env["GRAVITEE_AM_ENV"] == "DEFAULT"
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    env, _ = awx_job.inject(credential_type, {"apim_url": "https://apim", "am_url": "https://am", "ca_bundle": pem},
                            str(tmp_path / "b"))
    with open(env["GRAVITEE_CA_PATH"], encoding="utf-8") as handle:
        assert handle.read() == pem


@pytest.mark.slow
def test_awx_job_secures_the_sandbox_reruns_unchanged_and_leaves_no_secret_in_the_artifacts(sandbox, tmp_path):
    # The contract checks of the session capture bodies too: put back what was there, not False.
    capture = sandbox.log.capture_bodies
    sandbox.log.capture_bodies = True
    try:
        job = str(tmp_path / "job")
        project = awx_job.checkout(job)
        collections = awx_job.project_sync(job, project)
        assert os.path.isfile(os.path.join(collections, "ansible_collections", "gravitee_community", "mcp",
                                           "MANIFEST.json"))
        env, extra_vars_file = awx_job.inject(awx_job.load_credential_type(), credential_inputs(sandbox), job)
        extravars = JOB_EXTRA_VARS | awx_job.survey_answers(awx_job.load_survey(), answers(sandbox))
        assert all(isinstance(value, str) for value in extravars.values())

        first = awx_job.launch(job, PLAYBOOK, env=env, extra_vars_file=extra_vars_file, extravars=extravars,
                               ident="first", verbosity=3)
        assert (first.status, first.rc) == ("successful", 0), first.stdout.read()[-4000:]
        assert first.stats["changed"].get("localhost", 0) > 0
        api = next(a for a in sandbox.apim.apis.values() if a["name"] == "AWX MCP server")
        published = [p for p in sandbox.apim.plans_of(api["id"]) if p["status"] == "PUBLISHED"]
        assert ["OAUTH2"] == [str(p["security"]["type"]).upper() for p in published], published

        since = sandbox.log.last_seq()
        second = awx_job.launch(job, PLAYBOOK, env=env, extra_vars_file=extra_vars_file, extravars=extravars,
                                ident="second", verbosity=3)
        assert (second.status, second.rc) == ("successful", 0), second.stdout.read()[-4000:]
        assert second.stats["changed"].get("localhost", 0) == 0, second.stats
        assert [e for e in sandbox.log.since(since) if is_write(e)] == []

        secrets = harvest(sandbox, extra=[credential_inputs(sandbox)["apim_token"]])
        assert "AM resource of an APIM API" in set(secrets.values())
        places = list(places_of_directory(os.path.join(job, "artifacts")))
        assert {"first/stdout", "second/stdout", "first/command"} <= {place for place, _ in places}
        assert scan(secrets, places) == []
    finally:
        sandbox.log.capture_bodies = capture


def test_project_sync_installs_the_collection_from_the_checkout_offline(tmp_path):
    job = str(tmp_path / "job")
    project = awx_job.checkout(job)
    (tmp_path / "job" / "project" / "local.env").write_text("GRAVITEE_AM_PASSWORD=Stray-Sync-Password-5d1e\n")
    collections = awx_job.project_sync(job, project)
    root = os.path.join(collections, "ansible_collections", "gravitee_community", "mcp")
    shipped = {os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files}
    assert {"MANIFEST.json", "roles/secure_mcp/tasks/main.yml", "playbooks/secure_mcp.yml"} <= shipped
    assert "local.env" not in shipped and "playbooks/vars/sandbox.yml" not in shipped
