"""``python -m tests.sandbox``: ready line, env file, control endpoints, clean stop."""

import json
import os
import signal
import subprocess
import sys

import requests

from tests.collection_path import REPO_ROOT
from tests.conftest import free_base_port


def test_cli_prints_ready_line_and_writes_env_file(tmp_path):
    base = free_base_port(start=41000)
    env_file = tmp_path / "sandbox.env"
    proc = subprocess.Popen([sys.executable, "-m", "tests.sandbox", "--base-port", str(base), "--env-file",
                             str(env_file), "--sync-delay", "0.5"], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["apim_url"] == f"http://127.0.0.1:{base}"
        assert ready["apim_gateway_url"] == f"http://127.0.0.1:{base + 1}"
        assert ready["am_url"] == f"http://127.0.0.1:{base + 2}"
        assert ready["am_gateway_url"] == f"http://127.0.0.1:{base + 3}"
        assert ready["upstream_url"] == f"http://127.0.0.1:{base + 4}/mcp"
        assert (ready["apim_username"], ready["apim_password"]) == ("admin", "Sbx-7kq2-Vw9p")
        assert (ready["am_username"], ready["am_password"]) == ("admin", "Sbx-4mz8-Rt3c")
        assert ready["am_domain"] == "mcp-domain"

        exported = dict(line[len("export "):].split("=", 1) for line in env_file.read_text().splitlines())
        assert exported["GRAVITEE_APIM_URL"] == f"'http://127.0.0.1:{base}'"
        assert exported["GRAVITEE_AM_PASSWORD"] == "'Sbx-4mz8-Rt3c'"

        config = requests.get(f"{ready['apim_url']}/_sandbox/config", timeout=5).json()
        assert config["sync_delay"] == 0.5
        assert requests.get(f"{ready['apim_url']}/_sandbox/requests", timeout=5).json()["requests"] == []
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


def test_cli_fails_clearly_when_a_port_is_taken():
    import socket

    base = free_base_port(start=42000)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base + 2))
        taken.listen()
        proc = subprocess.run([sys.executable, "-m", "tests.sandbox", "--base-port", str(base)], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, PYTHONUNBUFFERED="1"))
    assert proc.returncode == 1
    assert "sandbox" in proc.stderr


def test_cli_tls_serves_every_port_over_https_and_exports_the_ca(tmp_path):
    base = free_base_port(start=43000)
    env_file = tmp_path / "sandbox.env"
    proc = subprocess.Popen([sys.executable, "-m", "tests.sandbox", "--base-port", str(base), "--tls",
                             "--env-file", str(env_file)], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        ca_path = ready["ca_path"]
        assert ready["apim_url"] == f"https://localhost:{base}"
        assert ready["upstream_url"] == f"https://localhost:{base + 4}/mcp"
        exported = dict(line[len("export "):].split("=", 1) for line in env_file.read_text().splitlines())
        assert exported["GRAVITEE_CA_PATH"] == f"'{ca_path}'"
        assert exported["GRAVITEE_AM_URL"] == f"'https://localhost:{base + 2}'"
        for key in ("apim_url", "apim_gateway_url", "am_url", "am_gateway_url", "upstream_url"):
            # Trusted with the CA bundle, refused without it.
            assert requests.get(ready[key], timeout=5, verify=ca_path).status_code < 500
            try:
                requests.get(ready[key], timeout=5)
            except requests.exceptions.SSLError:
                pass
            else:
                raise AssertionError("%s was trusted without the sandbox CA" % key)
        with open(ca_path, encoding="ascii") as handle:
            assert handle.read().startswith("-----BEGIN CERTIFICATE-----")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    assert not os.path.exists(ca_path)  # the throw-away CA goes with the sandbox
