"""An AWX-shaped job, without AWX (no tests here): what AWX does around ``ansible-runner`` for a job template.

1. Project sync: the repository's files (what an SCM checkout has) in ``<job>/project``, then
   ``ansible-galaxy collection install -r collections/requirements.yml`` run in that checkout into
   ``<job>/requirements_collections`` (AWX's project_update.yml: ``chdir`` is the project path).
2. Credential: the custom credential type's injectors rendered as AWX's ``inject_credential`` renders them (Jinja2
   ``ImmutableSandboxedEnvironment``; a field not given renders empty; ``file`` injectors written under ``env/``
   and named by ``tower.filename``; ``extra_vars`` written to a file under ``env/`` passed as ``-e @file``).
3. Launch: survey answers (strings) as the job's extra vars, ``ANSIBLE_COLLECTIONS_PATHS`` starting with
   ``requirements_collections`` as AWX sets it, and ``ansible_runner.run`` on the job template's playbook.
"""

import json
import os
import stat
import subprocess
import sys
import tempfile
from types import SimpleNamespace

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from tests.collection_path import REPO_ROOT

BIN = os.path.dirname(sys.executable)
AWX_DIR = os.path.join(REPO_ROOT, "extensions", "awx")
CREDENTIAL_TYPE = os.path.join(AWX_DIR, "credential_type.yml")
SURVEY = os.path.join(AWX_DIR, "survey_secure_mcp.json")


def load_credential_type():
    with open(CREDENTIAL_TYPE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_survey():
    with open(SURVEY, encoding="utf-8") as handle:
        return json.load(handle)


def checkout(job_dir):
    """The repository's tracked and new files (not the ignored ones), as an SCM checkout has them."""
    project = os.path.join(job_dir, "project")
    os.makedirs(project)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO_ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    subprocess.run(["cp", "--parents", "-t", project, *[f for f in files if f and os.path.exists(
        os.path.join(REPO_ROOT, f))]], cwd=REPO_ROOT, check=True)
    return project


def project_sync(job_dir, project):
    """``ansible-galaxy collection install -r collections/requirements.yml`` in the checkout, as AWX runs it."""
    target = os.path.join(job_dir, "requirements_collections")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=target, ANSIBLE_GALAXY_SERVER_LIST="")
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r",
                           "collections/requirements.yml", "-p", target], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return target


def inject(credential_type, inputs, job_dir):
    """``(env, extra vars file)`` from the credential type's injectors and the credential's ``inputs``."""
    namespace = {"tower": SimpleNamespace(filename=None)}
    namespace.update({key: value for key, value in inputs.items() if value or isinstance(value, bool)})
    for field in credential_type["inputs"]["fields"]:
        if field["type"] == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
    injectors = credential_type["injectors"]
    jinja = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(job_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    files = {}
    for label, template in injectors.get("file", {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as out:
            out.write(jinja.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        files[label] = path
    single = files.pop("template", None)
    namespace["tower"].filename = single or SimpleNamespace(**{k.split(".", 1)[1]: v for k, v in files.items()})
    env = {key: jinja.from_string(template).render(**namespace) for key, template in injectors.get("env", {}).items()}
    extra_vars = {key: jinja.from_string(template).render(**namespace)
                  for key, template in injectors.get("extra_vars", {}).items()}
    handle, extra_vars_file = tempfile.mkstemp(dir=env_dir)
    with os.fdopen(handle, "w") as out:
        out.write(yaml.safe_dump(extra_vars))
    os.chmod(extra_vars_file, stat.S_IRUSR)
    return env, extra_vars_file


def survey_answers(survey, answers):
    """The extra vars a launch with these answers gives: every value a string, as the survey form sends them;
    a question left unanswered passes its default."""
    variables = {}
    for question in survey["spec"]:
        value = answers.get(question["variable"], question.get("default", ""))
        if value != "":
            variables[question["variable"]] = str(value)
    return variables


def launch(job_dir, playbook, *, env, extra_vars_file, extravars, ident, verbosity=0):
    """``ansible_runner.run`` the way AWX's job does: project/, inventory/, env/extravars, env/envvars."""
    os.makedirs(os.path.join(job_dir, "inventory"), exist_ok=True)
    with open(os.path.join(job_dir, "inventory", "hosts"), "w", encoding="utf-8") as handle:
        handle.write("localhost ansible_connection=local\n")
    envvars = dict(env)
    envvars.update({
        "ANSIBLE_COLLECTIONS_PATHS": os.path.join(job_dir, "requirements_collections"),
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(job_dir, "requirements_collections"),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
        "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
    })
    with open(os.path.join(job_dir, "env", "envvars"), "w", encoding="utf-8") as handle:
        json.dump(envvars, handle)
    with open(os.path.join(job_dir, "env", "extravars"), "w", encoding="utf-8") as handle:
        json.dump(extravars, handle)
    return ansible_runner.run(private_data_dir=job_dir, playbook=playbook, ident=ident, verbosity=verbosity,
                              cmdline="-e @" + extra_vars_file, quiet=True)
