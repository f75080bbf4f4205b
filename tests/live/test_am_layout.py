"""How the live tier lays out and configures a real AM install (what can be checked without the AM zips)."""

import os
import zipfile

from tests.live import am


def test_unpack_makes_launchers_executable_and_happens_once(tmp_path):
    archive = tmp_path / "dist.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("gravitee-am-x-1.0/bin/gravitee", "#!/bin/sh\n")
        handle.writestr("gravitee-am-x-1.0/config/gravitee.yml", "a: 1\n")
    home = am.unpack_once(str(archive), str(tmp_path / "install"))
    assert home == str(tmp_path / "install" / "gravitee-am-x-1.0")
    assert os.access(os.path.join(home, "bin", "gravitee"), os.X_OK)
    marker = os.path.join(home, "config", "gravitee.yml")
    with open(marker, "w", encoding="utf-8") as handle:
        handle.write("changed\n")
    am.unpack_once(str(archive), str(tmp_path / "install"))
    with open(marker, encoding="utf-8") as handle:
        assert handle.read() == "changed\n"


def test_drivers_go_into_every_jdbc_plugin_ext_folder(tmp_path):
    jars = []
    for name in ("postgresql-42.7.8.jar", "r2dbc-postgresql-1.0.7.RELEASE.jar"):
        (tmp_path / name).write_bytes(b"jar")
        jars.append(str(tmp_path / name))
    home = tmp_path / "am"
    am.add_drivers(str(home), jars)
    for folder in ("repository-am-jdbc", "dataplane-am-jdbc", "reporter-am-jdbc"):
        assert sorted(os.listdir(home / "plugins" / "ext" / folder)) == sorted(os.path.basename(j) for j in jars)


def test_services_bind_loopback_use_jdbc_everywhere_and_small_heaps(tmp_path):
    db = {"host": "127.0.0.1", "port": 55432, "database": "am", "username": "am", "password": "pw"}
    management, gateway = am.services("/m", "/g", str(tmp_path), db, "/jdk", heap="384m")
    assert management.env["GRAVITEE_JETTY_HOST"] == "127.0.0.1"
    assert management.env["GRAVITEE_JETTY_PORT"] == "8093"
    assert gateway.env["GRAVITEE_HTTP_HOST"] == "127.0.0.1"
    assert gateway.env["GRAVITEE_HTTP_PORT"] == "8092"
    for service in (management, gateway):
        env = service.env
        assert env["GIO_MIN_MEM"] == env["GIO_MAX_MEM"] == "384m"
        assert env["JAVA_HOME"] == "/jdk"
        for scope in ("REPOSITORIES_MANAGEMENT", "REPOSITORIES_OAUTH2", "REPOSITORIES_GATEWAY", "DATAPLANES_0"):
            assert env[f"GRAVITEE_{scope}_TYPE"] == "jdbc"
            assert env[f"GRAVITEE_{scope}_JDBC_PORT"] == "55432"
        assert env["GRAVITEE_DATAPLANES_0_ID"] == "default"
    assert management.argv == ["/m/bin/gravitee"]
