"""Messages for a URL option aimed at the wrong server or the wrong scheme, a certificate for other names,
a missing ca_path, and argument errors that must name their option."""

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.gravitee_community.mcp.plugins.module_utils.core import tls as _tls
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.arguments import readable_validation_message
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.connection import check_ca_path
from ansible_collections.gravitee_community.mcp.plugins.module_utils.core.errors import (
    GraviteeError,
    describe_exception,
    http_error,
    transport_error,
)

APIM_SEARCH = "http://h:8083/management/v2/organizations/DEFAULT/environments/DEFAULT/apis/_search"
AM_TOKEN = "http://h:8083/management/auth/token"


@pytest.mark.parametrize("product, url, status, body, named", [
    ("APIM", APIM_SEARCH, 401, {"message": "No Bearer token found", "http_status": 401},
     "apim_url seems to point at the AM management API, not at the APIM management API"),
    ("APIM", APIM_SEARCH, 404, "No context-path matches the request URI",
     "apim_url seems to point at an APIM gateway"),
    ("APIM", APIM_SEARCH, 404, {"message": "Not Found", "http_status_code": 404},
     "apim_url seems to point at an APIM gateway"),
    ("APIM", APIM_SEARCH, 404, "Not Found", "apim_url seems to point at an AM gateway"),
    ("AM", AM_TOKEN, 404, {"httpStatus": 404, "message": "HTTP 404 Not Found"},
     "am_url seems to point at the APIM management API, not at the AM management API"),
    ("AM", AM_TOKEN, 404, "<html>nginx</html>", "am_url does not seem to point at the AM management API"),
])
def test_a_swapped_url_is_named_with_the_fix(product, url, status, body, named):
    message = str(http_error(product=product, method="POST", url=url, status=status, body=body, auth_mode="basic"))
    assert named in message
    option = "apim_url (GRAVITEE_APIM_URL)" if product == "APIM" else "am_url (GRAVITEE_AM_URL)"
    assert "Set %s to the root URL of" % option in message
    assert "Check apim_username" not in message and "still exists" not in message


@pytest.mark.parametrize("product, status, body", [
    ("APIM", 401, {"httpStatus": 401, "message": "Unauthorized"}),
    ("APIM", 404, {"httpStatus": 404, "message": "Api [x] cannot be found.", "technicalCode": "api.notFound"}),
    ("AM", 404, {"message": "Domain [x] can not be found.", "http_status": 404}),
    ("APIM", 500, {"message": "boom", "http_status": 500}),
])
def test_answers_of_the_right_server_keep_their_usual_hint(product, status, body):
    message = str(http_error(product=product, method="GET", url="http://h/x", status=status, body=body))
    assert "seems to point at" not in message and "does not seem to point" not in message


def test_an_ssl_text_is_kept_whole_up_to_the_ssl_source_location():
    text = ("HTTPSConnectionPool(host='127.0.0.1', port=8443): Max retries exceeded with url: /x (Caused by "
            "SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
            "IP address mismatch, certificate is not valid for '127.0.0.1'. (_ssl.c:1020)\")))")
    assert describe_exception(Exception(text)) == (
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not "
        "valid for '127.0.0.1'.")


def test_a_name_mismatch_lists_the_names_of_the_certificate(monkeypatch):
    monkeypatch.setattr(_tls, "certificate_names", lambda host, port, timeout: ["DNS:apim.example.com"])
    exc = Exception("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate "
                    "is not valid for 'apim.internal'. (_ssl.c:1020)")
    message = str(transport_error(product="APIM", kind="tls", method="GET", url="https://apim.internal:8083/x",
                                  exc=exc))
    assert "certificate is not valid for 'apim.internal'." in message
    assert "The certificate is valid for DNS:apim.example.com only." in message
    assert "Use in apim_url (GRAVITEE_APIM_URL) a host name the certificate names" in message


def test_https_to_a_plain_http_port_names_the_scheme_and_the_option():
    exc = Exception("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1020)")
    message = str(transport_error(product="AM", kind="tls", method="POST", url="https://am:8093/management/x",
                                  exc=exc))
    assert "am:8093 answers in plain HTTP, not TLS" in message
    assert "Set am_url (GRAVITEE_AM_URL) to http://am:8093" in message
    assert "ca_path" not in message


def test_certificate_names_is_empty_when_nothing_listens():
    assert _tls.certificate_names("127.0.0.1", 1, timeout=1) == []


def test_a_missing_or_unreadable_ca_path_is_a_usage_error(tmp_path):
    check_ca_path({"ca_path": None})
    bundle = tmp_path / "ca.pem"
    bundle.write_text("pem")
    check_ca_path({"ca_path": str(bundle)})
    with pytest.raises(GraviteeError) as caught:
        check_ca_path({"ca_path": str(tmp_path / "missing.pem")})
    assert caught.value.kind == "usage"
    assert str(caught.value).startswith("ca_path (GRAVITEE_CA_PATH) is %s, which does not exist." % (
        tmp_path / "missing.pem"))


def test_a_string_for_a_list_of_dicts_names_the_option_first():
    spec = {"resources": {"type": "list", "elements": "dict", "options": {"name": {"type": "str"}}}}
    errors = ArgumentSpecValidator(spec).validate({"resources": "am"}).errors
    assert not errors.msg.startswith("Elements value")  # ansible-core's first error does not name it
    message = readable_validation_message(errors)
    assert message.startswith("Elements value for option 'resources' is of type str")
    assert message.endswith("resources must be a list of dictionaries (each with the sub-options the module "
                            "documents), not a str.")
