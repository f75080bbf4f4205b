"""HTTPS for the sandbox (``--tls``): a throw-away CA and one server certificate for every port.

The CA is made by ``trustme`` (test-only). Its certificate is written as a PEM bundle whose
path the sandbox exposes (``Sandbox.ca_path``, ``GRAVITEE_CA_PATH`` in ``env()``), so tests can
pass it as ``ca_path``. The server certificate names only ``localhost`` (plus ``--host`` when it is
a name other than a loopback or wildcard address): TLS URLs use ``localhost``, and the same port
reached as ``127.0.0.1`` shows a host-name mismatch.
"""

import os
import shutil
import ssl
import tempfile

TLS_HOST = "localhost"
_UNNAMED = ("127.0.0.1", "0.0.0.0", "::", "::1", TLS_HOST)


class SandboxTls:
    """The CA bundle and server key pair on disk, in a directory removed by :meth:`close`."""

    def __init__(self, bind_host):
        import trustme  # test-only dependency, imported only when TLS is asked for

        self.names = [TLS_HOST] + ([bind_host] if bind_host not in _UNNAMED else [])
        self._dir = tempfile.mkdtemp(prefix="gravitee-sandbox-tls-")
        ca = trustme.CA(organization_name="Gravitee sandbox test CA")
        server = ca.issue_cert(*self.names)
        self.ca_path = os.path.join(self._dir, "ca.pem")
        self.cert_path = os.path.join(self._dir, "server.pem")
        self.key_path = os.path.join(self._dir, "server-key.pem")
        ca.cert_pem.write_to_path(self.ca_path)
        server.cert_chain_pems[0].write_to_path(self.cert_path)
        for pem in server.cert_chain_pems[1:]:
            pem.write_to_path(self.cert_path, append=True)
        server.private_key_pem.write_to_path(self.key_path)

    @property
    def url_host(self):
        return self.names[0]

    def uvicorn_options(self):
        return {"ssl_certfile": self.cert_path, "ssl_keyfile": self.key_path}

    def client_context(self):
        """An ``ssl.SSLContext`` trusting only the sandbox CA (for the gateway's own calls)."""
        return ssl.create_default_context(cafile=self.ca_path)

    def close(self):
        shutil.rmtree(self._dir, ignore_errors=True)
