"""Under pytest-xdist (``make test`` runs two workers) the workers' contract checks and figures reach the controller.

One inner pytest run with the suite's own hooks (``-p tests.conftest``) and two workers that each run the same
test (``--dist each``): the test starts the worker's session sandbox, records a figure and logs one management
exchange that breaks Gravitee's OpenAPI contract, the way a sandbox bug would.
"""

import json
import os
import subprocess
import sys
import textwrap

from tests.contract.helpers import APIM, BASIC, specs_or_skip

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

INNER_TEST = textwrap.dedent('''
    import json
    import os

    from tests.reliability import figures


    def test_worker_records_and_breaks_the_contract(sandbox):
        worker = os.environ["PYTEST_XDIST_WORKER"]
        figures.record("race_pairs", "pair on " + worker)
        figures.record("leaks", "scan on " + worker, secrets=3, places=2, found=0)
        sandbox.log.add({"component": "apim_mgmt", "port": 1, "method": "GET", "path": %(path)r, "query": "",
                         "status": 200, "_request_headers": {"authorization": %(auth)r}, "_request_body": b"",
                         "_response_headers": {"content-type": "application/json"},
                         "_response_body": json.dumps({"unexpected": True}).encode()})
''') % {"path": APIM + "/apis/api-1", "auth": BASIC}


def test_workers_contract_violations_fail_the_run_and_their_summaries_and_figures_are_merged(tmp_path):
    specs_or_skip()
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-n", "2",
               "--dist", "each", "--basetemp", str(tmp_path / "basetemp"), "-q", "-rE", "test_inner.py"]
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    output = proc.stdout + proc.stderr

    # Each worker's violation fails its session teardown, which fails the run.
    assert proc.returncode == 1, output
    assert "2 passed, 2 errors" in output, output
    assert output.count("[response-body] $.unexpected: property 'unexpected'") >= 2, output
    # One contract line for the run, merged from both workers (each error also ends with its worker's line).
    (contract_line,) = [line for line in output.splitlines() if line.endswith("; 2 sessions (xdist workers)")]
    assert contract_line.startswith("contract: 2 management exchanges checked (apim_mgmt 2); 4 violation(s);")
    # Figures recorded by two processes, printed once by the controller.
    assert output.count("reliability figures:") == 1, output
    assert ("reliability figures: faults survived 0/0, kill points 0, race pairs 2, bad inputs 0, leaks found 0 "
            "(secrets scanned 6 in 4 places)") in output
    files = sorted(p.name for p in (tmp_path / "basetemp" / "reliability-figures").iterdir())
    assert files == ["figures-gw0.jsonl", "figures-gw1.jsonl"]
    assert all(json.loads(line)["category"] in ("race_pairs", "leaks")
               for name in files for line in (tmp_path / "basetemp" / "reliability-figures" / name).open())
