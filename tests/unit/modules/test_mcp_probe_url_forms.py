"""mcp_probe ``url_forms``: each form checked the way the MCP Python SDK uses it (metadata it accepts, a sign-in for
the resource it would send, the token used at that URL)."""

import responses

from tests.unit.modules.test_mcp_probe_module import GW, ISSUER, PASSWORD, URL, FakeStack, by_name

BARE = GW + "/my-mcp"
BARE_PRM = GW + "/.well-known/oauth-protected-resource/my-mcp"


def install_bare_form(stack, resource=BARE, at=BARE):
    """The gateway at the slash-less URL: its challenge names its own metadata URL, whose resource is ``resource``."""
    challenge = 'Bearer resource_metadata="%s"' % BARE_PRM
    responses.add_callback(responses.POST, at, callback=lambda request: _with_challenge(stack, request, challenge))
    responses.add(responses.DELETE, at, status=200)
    responses.add(responses.GET, BARE_PRM, json={"resource": resource, "authorization_servers": [ISSUER]})


def _with_challenge(stack, request, challenge):
    previous, stack.challenge = stack.challenge, challenge
    try:
        return stack.mcp(request)
    finally:
        stack.challenge = previous


@responses.activate
def test_a_form_signs_in_for_the_resource_the_sdk_sends_and_uses_the_token_there(run_module):
    stack = FakeStack()
    stack.install()
    install_bare_form(stack)

    result, _out, code = run_module(username="alice", password=PASSWORD, url_forms=[BARE, URL])

    assert code == 0 and result["ok"] is True, result["msg"]
    assert [c["name"] for c in result["checks"]][-2:] == ["tools_list", "url_form"]  # the URL itself is not repeated
    form = by_name(result)["url_form"]
    assert form["form"] == BARE and form["resource"] == BARE and form["metadata_url"] == BARE_PRM
    assert "signed in, 2 tools at %s" % BARE in form["got"]
    # The second sign-in asked AM for the slash-less resource, and its token was used at the slash-less URL.
    assert stack.authorized["resource"] == [BARE] and stack.token_form["resource"] == [BARE]
    bare_calls = [c.request for c in responses.calls if c.request.url == BARE and c.request.method == "POST"]
    assert any(r.headers.get("Authorization") for r in bare_calls)


@responses.activate
def test_an_explicit_default_port_is_refused_like_the_sdk_does_naming_the_form(run_module):
    stack = FakeStack()
    stack.install()
    typed = "https://gw.example.com:443/my-mcp"
    install_bare_form(stack, at=typed)  # the gateway builds resource from the Host it got: without the port

    result, _out, code = run_module(url_forms=[typed])

    assert code == 1 and result["failed_checks"] == ["url_form"]
    form = by_name(result)["url_form"]
    assert form["form"] == typed and form["cause"].startswith(typed + ": the MCP SDK refuses the metadata")
    assert "does not match expected https://gw.example.com:443/my-mcp" in form["cause"]
    assert "without :443" in form["cause"] and typed in result["msg"]


@responses.activate
def test_a_form_the_gateway_does_not_route_fails_with_its_status(run_module):
    FakeStack().install()
    responses.add(responses.POST, GW + "/other", status=404, body="No context-path matches the request URI.")

    result, _out, code = run_module(url_forms=[GW + "/other"])

    assert code == 1 and by_name(result)["url_form"]["got"].startswith("404")
    assert by_name(result)["url_form"]["cause"].startswith(GW + "/other: ")


def test_bad_url_forms_fail_before_any_request(run_module):
    with responses.RequestsMock() as mocked:
        result, _out, code = run_module(url_forms=["gw.example.com/mcp"])
        assert not mocked.calls
    assert code == 1 and "url_forms: each entry must be an absolute" in result["msg"]
    with responses.RequestsMock() as mocked:
        result, _out, code = run_module(expect="open", url_forms=[BARE])
        assert not mocked.calls
    assert code == 1 and "url_forms is for expect=oauth2" in result["msg"]


@responses.activate
def test_an_upper_case_host_is_the_same_resource_for_the_sdk(run_module):
    stack = FakeStack()
    stack.install()
    typed = "https://GW.Example.com/my-mcp/"  # clients lowercase scheme and host before comparing and sending

    result, _out, code = run_module(username="alice", password=PASSWORD, url_forms=[typed])

    assert code == 0 and result["ok"] is True, result["msg"]
    form = by_name(result)["url_form"]
    assert form["form"] == typed and form["resource"] == URL and "warnings" not in form
    assert stack.token_form["resource"] == [URL]
