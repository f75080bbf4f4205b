"""Helpers for the secure_mcp role tests (no tests here): run the playbooks and read what the role did.

The session sandbox is not on the default ports the vars file names, so every run passes the sandbox's URLs as
extra vars after ``-e @playbooks/vars/sandbox.yml`` (later ``-e`` wins).
"""

import json
import os
import sys
import tempfile

import yaml

from tests.integration.harness import run_command

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(REPO, "playbooks")
SANDBOX_VARS = os.path.join(PLAYBOOKS, "vars", "sandbox.yml")
ROLE = "gravitee_community.mcp.secure_mcp"
SUMMARY = "Secure MCP | Summary"
PREFLIGHT = "Preflight (logins, environment, domain, context path, secret plan; no change)"
PREFLIGHT_REPORT = "Decide where the secret of the API's AM resource comes from"
PREFLIGHT_FAILURE = "Explain the failure of the preflight"
MCP_URL_PATH = "/mcp-proxy/"


def sandbox_urls(sandbox):
    """The extra vars that point the vars file at this sandbox."""
    urls = sandbox.urls
    return {
        "secure_mcp_apim_url": urls["apim_url"],
        "secure_mcp_am_url": urls["am_url"],
        "secure_mcp_public_gateway_url": urls["apim_gateway_url"],
        "secure_mcp_public_am_gateway_url": urls["am_gateway_url"],
        "secure_mcp_upstream_url": urls["upstream_url"],
    }


def mcp_url(sandbox, path=MCP_URL_PATH):
    return sandbox.urls["apim_gateway_url"] + path


def run_playbook_file(sandbox, name, extra_vars=None, *, vars_file=True, callback="json", verbosity=0, env=None,
                      check=False, diff=False, vars_files=()):
    """``ansible-playbook playbooks/<name> [-e @playbooks/vars/sandbox.yml] -e <this sandbox's URLs + extra_vars>``.

    ``vars_files`` follow as ``-e @<file>`` (and win): how secrets are best passed, since ansible-playbook -vvv
    prints the extra vars given on its command line.
    """
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
               os.path.join(PLAYBOOKS, name)]
    if vars_file:
        command += ["-e", "@" + SANDBOX_VARS, "-e", json.dumps(dict(sandbox_urls(sandbox), **(extra_vars or {})))]
    elif extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    for path in vars_files:
        command += ["-e", "@" + str(path)]
    if verbosity:
        command.append("-" + "v" * verbosity)
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    return run_command(sandbox, command, callback=callback, env=env, cwd=REPO)


def run_play(sandbox, plays, *, callback="json", verbosity=0, env=None, extra_vars=None):
    """Run a playbook made of ``plays`` (list of play dicts)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "play.yml")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(plays, handle, sort_keys=False)
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", path]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        if verbosity:
            command.append("-" + "v" * verbosity)
        return run_command(sandbox, command, callback=callback, env=env, cwd=REPO)


def role_vars(sandbox, **overrides):
    """The role's variables for this sandbox, as a play would set them (no vars file)."""
    seed = sandbox.seed
    values = dict(sandbox_urls(sandbox), secure_mcp_name="Sandbox MCP server", secure_mcp_api_name="API MCP Proxy",
                  secure_mcp_context_path="/mcp-proxy", secure_mcp_am_domain=seed["am_domain"],
                  secure_mcp_probe_delay=0.5)
    values.update(overrides)
    return values


def task_results(run, suffix):
    """The results of the tasks whose name ends with ``suffix`` (role tasks carry a "role : " prefix)."""
    return [result for result in run.results() if result["name"].endswith(suffix)]


def preflight_report(run):
    """What the role's preflight found (its result is no_log, it holds the AM token): the set_fact after it."""
    (result,) = task_results(run, PREFLIGHT_REPORT)
    return result["ansible_facts"]["secure_mcp__preflight_report"]


def preflight_failure(run):
    """The message of the preflight that stopped the run (its result is no_log: the rescue gives it)."""
    (result,) = task_results(run, PREFLIGHT_FAILURE)
    return result["msg"]


def summaries(run):
    return [result["msg"] for result in task_results(run, SUMMARY) if "msg" in result]


def changed_tasks(run):
    return [result["name"] for result in run.results() if result.get("changed")]


def apis_named(sandbox, name):
    return [api for api in sandbox.apim.apis.values() if api.get("name") == name]


def plans_of(sandbox, api_id):
    return sandbox.apim.plans_of(api_id)


def am_resource_of(api, name="AM OAuth2 Resource"):
    return next((r for r in api.get("resources") or [] if r.get("name") == name), None)


def mcp_servers(sandbox):
    return [r for r in sandbox.am.protected_resources.values() if str(r.get("type", "")).upper() == "MCP_SERVER"]


def forwarded_to(sandbox, api_id):
    """What the gateway passed upstream for this API (each entry says whether a token was present)."""
    return [entry for entry in sandbox.apim.gateway_forwarded if entry["api_id"] == api_id]


def management_writes(run):
    return [(entry["method"], entry["path"]) for entry in run.writes]
