"""Real Gravitee AM for the live tier: fetch its zips with mvn, add the PostgreSQL drivers, describe how to run it.

Our configuration is environment variables only (Gravitee's node maps GRAVITEE_A_B_C onto the key a.b.c of its
gravitee.yml), so nothing of Gravitee's config is copied or edited. The management, oauth2
and gateway repositories and the data plane are all ``jdbc`` on PostgreSQL (:func:`jdbc_env`).

Status: this path has never reached a running AM. On the machine it was written on, Maven Central serves no AM 4.x
distribution (tests/live/README.md has the probe output), so only the mvn call, the driver layout and the
process control around it were exercised.
"""

import glob
import os
import shutil
import subprocess
import zipfile

from tests.live.processes import Service

MANAGEMENT_ZIP = "io.gravitee.am.management.standalone:gravitee-am-management-api-standalone-distribution-zip"
GATEWAY_ZIP = "io.gravitee.am.gateway.standalone:gravitee-am-gateway-standalone-distribution-zip"
# The JDBC plugins load drivers from these folders; the zips ship without drivers (they are 'provided').
DRIVER_DIRS = ("plugins/ext/repository-am-jdbc", "plugins/ext/dataplane-am-jdbc", "plugins/ext/reporter-am-jdbc")
MANAGEMENT_PORT = 8093
GATEWAY_PORT = 8092


def mvn_copy(coordinate, output_dir):
    """``mvn dependency:copy`` one artifact (zip or jar) into ``output_dir``; the download stays in ~/.m2."""
    os.makedirs(output_dir, exist_ok=True)
    subprocess.run(["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={coordinate}",
                    f"-DoutputDirectory={output_dir}", "-Dmdep.overWriteReleases=false"], check=True)


def unpack_once(zip_path, target_parent):
    """Unzip a distribution (its single top folder) once; return that folder."""
    with zipfile.ZipFile(zip_path) as archive:
        top = archive.namelist()[0].split("/")[0]
        home = os.path.join(target_parent, top)
        if not os.path.isdir(home):
            archive.extractall(target_parent)
    # zipfile drops the execute bits the launch scripts need.
    for script in glob.glob(os.path.join(home, "bin", "*")):
        os.chmod(script, 0o755)
    return home


def add_drivers(home, driver_jars):
    for folder in DRIVER_DIRS:
        target = os.path.join(home, folder)
        os.makedirs(target, exist_ok=True)
        for jar in driver_jars:
            shutil.copy2(jar, target)


def install(live_home, version, driver_coordinates):
    """Both AM nodes unpacked under ``live_home/am-<version>``; returns ``(management_home, gateway_home)``."""
    root = os.path.join(live_home, f"am-{version}")
    downloads = os.path.join(root, "downloads")
    drivers = os.path.join(root, "drivers")
    for coordinate in (f"{MANAGEMENT_ZIP}:{version}:zip", f"{GATEWAY_ZIP}:{version}:zip"):
        mvn_copy(coordinate, downloads)
    for coordinate in driver_coordinates:
        mvn_copy(coordinate, drivers)
    jars = sorted(glob.glob(os.path.join(drivers, "*.jar")))
    homes = []
    for artifact in (MANAGEMENT_ZIP, GATEWAY_ZIP):
        name = artifact.split(":")[1]
        home = unpack_once(os.path.join(downloads, f"{name}-{version}.zip"), root)
        add_drivers(home, jars)
        homes.append(home)
    return tuple(homes)


def jdbc_env(db):
    """The repository + data-plane variables for every AM scope, pointing at the live PostgreSQL database."""
    env = {}
    for prefix in ("GRAVITEE_REPOSITORIES_MANAGEMENT", "GRAVITEE_REPOSITORIES_OAUTH2", "GRAVITEE_REPOSITORIES_GATEWAY",
                   "GRAVITEE_DATAPLANES_0"):
        env[prefix + "_TYPE"] = "jdbc"
        env[prefix + "_JDBC_DRIVER"] = "postgresql"
        env[prefix + "_JDBC_HOST"] = db["host"]
        env[prefix + "_JDBC_PORT"] = str(db["port"])
        env[prefix + "_JDBC_DATABASE"] = db["database"]
        env[prefix + "_JDBC_USERNAME"] = db["username"]
        env[prefix + "_JDBC_PASSWORD"] = db["password"]
    env["GRAVITEE_DATAPLANES_0_ID"] = "default"
    return env


def common_env(java_home, heap):
    return {
        "JAVA_HOME": java_home,
        "GIO_MIN_MEM": heap,
        "GIO_MAX_MEM": heap,
        # Keeps the JIT and GC light on a 2-core machine shared with test suites.
        "JAVA_OPTS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ActiveProcessorCount=1",
        # The node's own admin HTTP service (ports 18092/18093) is not needed.
        "GRAVITEE_SERVICES_CORE_HTTP_ENABLED": "false",
        # AM's own CI syncs every 2 s instead of 5 s to keep tests from waiting.
        "GRAVITEE_SERVICES_SYNC_CRON": "*/2 * * * * *",
    }


def services(management_home, gateway_home, run_dir, db, java_home, heap="512m"):
    """Management API first (it runs the Liquibase migrations), then the gateway; loopback only."""
    base = {**common_env(java_home, heap), **jdbc_env(db)}
    management = Service(
        name="am-management",
        argv=[os.path.join(management_home, "bin", "gravitee")],
        cwd=management_home,
        run_dir=run_dir,
        env={**base, "GRAVITEE_JETTY_HOST": "127.0.0.1", "GRAVITEE_JETTY_PORT": str(MANAGEMENT_PORT)},
        # 401 from the token endpoint without credentials means the security chain is up.
        ready_url=f"http://127.0.0.1:{MANAGEMENT_PORT}/management/auth/token",
    )
    gateway = Service(
        name="am-gateway",
        argv=[os.path.join(gateway_home, "bin", "gravitee")],
        cwd=gateway_home,
        run_dir=run_dir,
        env={**base, "GRAVITEE_HTTP_HOST": "127.0.0.1", "GRAVITEE_HTTP_PORT": str(GATEWAY_PORT)},
        ready_url=f"http://127.0.0.1:{GATEWAY_PORT}/",
    )
    return [management, gateway]


def urls():
    return {"am_url": f"http://127.0.0.1:{MANAGEMENT_PORT}", "am_gateway_url": f"http://127.0.0.1:{GATEWAY_PORT}"}
