"""The secure_mcp role on real servers: the extra vars that point playbooks/secure_mcp.yml at a target (all live,
or the hybrid of the sandbox's APIM with a real AM), and the run, rerun and removal the live tests make."""

import uuid

from tests.integration.role_support import run_playbook_file, task_results


def role_vars(apim_urls, am_target, **overrides):
    """Variables for the role: APIM (and upstream) from ``apim_urls``, AM from ``am_target`` (a LiveGravitee)."""
    suffix = uuid.uuid4().hex[:8]
    seed = am_target.seed
    values = {
        "secure_mcp_name": "Live MCP " + suffix, "secure_mcp_api_name": "Live MCP API " + suffix,
        "secure_mcp_context_path": "/live-role-" + suffix,
        "secure_mcp_upstream_url": apim_urls["upstream_url"],
        "secure_mcp_apim_url": apim_urls["apim_url"],
        "secure_mcp_public_gateway_url": apim_urls["apim_gateway_url"],
        "secure_mcp_am_url": am_target.urls["am_url"],
        "secure_mcp_public_am_gateway_url": am_target.urls["am_gateway_url"],
        "secure_mcp_am_username": seed["am_username"], "secure_mcp_am_password": seed["am_password"],
        "secure_mcp_am_domain": seed["am_domain"],
        "secure_mcp_verify_username": seed["am_user"], "secure_mcp_verify_password": seed["am_user_password"],
    }
    values.update(overrides)
    return values


def run_role_three_times(sandbox, variables):
    """First run, rerun, then ``secure_mcp_state: absent`` (the cleanup): ``(first, rerun, removed)``.

    ``sandbox`` serves the request log and the GRAVITEE_* environment (every connection is in ``variables``).
    """
    first = run_playbook_file(sandbox, "secure_mcp.yml", variables, vars_file=False)
    rerun = run_playbook_file(sandbox, "secure_mcp.yml", variables, vars_file=False)
    # The removal also turns the domain's DCR and self-registration off again: the tier's own domain.
    removed = run_playbook_file(sandbox, "secure_mcp.yml", dict(variables, secure_mcp_state="absent",
                                                                secure_mcp_absent_domain_settings=True),
                                vars_file=False)
    return first, rerun, removed


def verify_result(run, mode):
    """The result of the role's verify task (``mode``: discovery, dcr or login)."""
    (result,) = task_results(run, "Verify like an MCP client (%s)" % mode)
    return result
