"""The figures the reliability suite prints at its end: recording, aggregation, the summary line."""

import json

import pytest

from tests.reliability import figures


@pytest.fixture
def figures_env(tmp_path, monkeypatch):
    monkeypatch.setenv(figures.ENV, str(tmp_path))
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw7")
    return tmp_path


def test_record_appends_one_json_line_per_figure_to_a_file_of_the_worker(figures_env):
    figures.record("bad_inputs", "apim_api name empty", module="apim_api")
    figures.record("leaks", "role -vvvv", secrets=9, places=4, found=0)
    lines = (figures_env / "figures-gw7.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"category": "bad_inputs", "name": "apim_api name empty", "module": "apim_api"},
        {"category": "leaks", "name": "role -vvvv", "secrets": 9, "places": 4, "found": 0}]


def test_record_refuses_an_unknown_category(figures_env):
    with pytest.raises(ValueError, match="unknown figures category 'leak'.*faults, kill_points"):
        figures.record("leak", "x")
    assert not list(figures_env.iterdir())


def test_record_without_a_figures_directory_is_dropped(tmp_path, monkeypatch):
    monkeypatch.delenv(figures.ENV, raising=False)
    figures.record("faults", "x", survived=True)  # a test run outside pytest's hooks: no file, no error
    assert figures.figures_dir() is None


def test_records_of_all_workers_are_read_and_a_repeated_name_counts_once(tmp_path):
    (tmp_path / "figures-gw0.jsonl").write_text(
        '{"category": "faults", "name": "a", "survived": false}\n'
        '{"category": "faults", "name": "a", "survived": true}\n')
    (tmp_path / "figures-gw1.jsonl").write_text('{"category": "faults", "name": "b", "survived": true}\n\n')
    (tmp_path / "other.txt").write_text("not a figures file")
    records = figures.read_records(tmp_path)
    assert sorted((r["name"], r["survived"]) for r in records) == [("a", True), ("b", True)]


def test_aggregate_totals_every_category():
    records = [
        {"category": "faults", "name": "f1", "survived": True},
        {"category": "faults", "name": "f2", "survived": False},
        {"category": "faults", "name": "f3", "survived": True},
        {"category": "kill_points", "name": "k1"},
        {"category": "kill_points", "name": "k2"},
        {"category": "race_pairs", "name": "r1"},
        *({"category": "bad_inputs", "name": f"b{i}"} for i in range(5)),
        {"category": "leaks", "name": "l1", "secrets": 10, "places": 7, "found": 0},
        {"category": "leaks", "name": "l2", "secrets": 12, "places": 30, "found": 2},
    ]
    totals = figures.aggregate(records)
    assert totals == {"faults_survived": 2, "faults": 3, "kill_points": 2, "race_pairs": 1, "bad_inputs": 5,
                      "leaks_found": 2, "secrets_scanned": 22, "places_scanned": 37}
    assert figures.summary_line(totals) == (
        "reliability figures: faults survived 2/3, kill points 2, race pairs 1, bad inputs 5, leaks found 2 "
        "(secrets scanned 22 in 37 places)")


def test_aggregate_of_nothing_is_all_zero():
    assert figures.summary_line(figures.aggregate([])) == (
        "reliability figures: faults survived 0/0, kill points 0, race pairs 0, bad inputs 0, leaks found 0 "
        "(secrets scanned 0 in 0 places)")


class _Reporter:
    def __init__(self):
        self.lines = []

    def write_line(self, line):
        self.lines.append(line)


class _Config:
    pass


def test_terminal_summary_prints_the_totals_on_the_controller_only(figures_env):
    figures.record("race_pairs", "create")
    reporter, controller, worker = _Reporter(), _Config(), _Config()
    worker.workerinput = {"workerid": "gw7"}
    figures.terminal_summary(reporter, worker)
    assert reporter.lines == []
    figures.terminal_summary(reporter, controller)
    assert reporter.lines == [
        "reliability figures: faults survived 0/0, kill points 0, race pairs 1, bad inputs 0, leaks found 0 "
        "(secrets scanned 0 in 0 places)"]


def test_terminal_summary_is_silent_when_nothing_was_recorded(figures_env):
    reporter = _Reporter()
    figures.terminal_summary(reporter, _Config())
    assert reporter.lines == []
