# -*- coding: utf-8 -*-
# Copyright (c) gravitee_community.mcp contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

"""TLS failures explained: a missing ``ca_path``, ``https://`` to a plain-HTTP port, and a
certificate issued for other host names (named, so the user can pick the right one).

Python's ssl module reports a host-name mismatch as "Hostname mismatch, certificate is not
valid for 'host'." without the names the certificate *is* valid for; they are read here
from the certificate itself (one TLS handshake without verification, no HTTP request).
"""

from __future__ import annotations

import re
import socket
import ssl
from urllib.parse import urlsplit

try:
    from cryptography import x509
except ImportError:  # ansible-core depends on cryptography; without it the names are just not listed
    x509 = None

# OpenSSL's words for "the peer did not answer with TLS" (plain HTTP on the port): before
# OpenSSL 3.2 "wrong version number", since then "record layer failure"; LibreSSL "unknown protocol".
_PLAIN_HTTP = re.compile(r"WRONG_VERSION_NUMBER|wrong version number|RECORD_LAYER_FAILURE|record layer failure|"
                         r"unknown protocol|packet length too long", re.IGNORECASE)
_MISMATCH = re.compile(r"mismatch|doesn't match|does not match|not valid for", re.IGNORECASE)


def is_plain_http(reason: str) -> bool:
    return bool(_PLAIN_HTTP.search(reason or ""))


def is_name_mismatch(reason: str) -> bool:
    return bool(_MISMATCH.search(reason or ""))


def certificate_names(host, port, timeout=5.0) -> list:
    """``DNS:name`` / ``IP:address`` entries of the certificate served at host:port ([] if unknown)."""
    if x509 is None:
        return []
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read the names; nothing is sent
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                der = tls.getpeercert(binary_form=True)
        cert = x509.load_der_x509_certificate(der)
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound:
            return []
    except (OSError, ValueError):
        return []
    names = ["DNS:%s" % name for name in san.get_values_for_type(x509.DNSName)]
    names += ["IP:%s" % address for address in san.get_values_for_type(x509.IPAddress)]
    return names


def _host_port(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def tls_hint(url, reason, url_option, timeout=5.0) -> str:
    """What to do about a TLS failure at ``url``, naming the option that holds the URL."""
    host, port = _host_port(url)
    if is_plain_http(reason):
        return ("%s:%s answers in plain HTTP, not TLS: %s uses https:// for a port that serves http://. Set %s "
                "to http://%s:%s, or to the port that serves HTTPS." % (host, port, url_option, url_option, host, port))
    if is_name_mismatch(reason):
        names = certificate_names(host, port, timeout)
        valid = ("The certificate is valid for %s only. " % ", ".join(names)) if names else ""
        return ("%sUse in %s a host name the certificate names (instead of %s), or have the certificate issued "
                "for %s; validate_certs: false (GRAVITEE_VALIDATE_CERTS=false) turns checking off, for tests only."
                % (valid, url_option, host, host))
    return ("If the server certificate comes from a private CA, set ca_path (GRAVITEE_CA_PATH) to that CA bundle; "
            "validate_certs: false (GRAVITEE_VALIDATE_CERTS=false) turns checking off, for tests only. Also check "
            "that %s uses the certificate's host name." % url_option)
