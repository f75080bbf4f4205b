"""The live tier's seeding and target description, run against the sandbox (a strict double of AM)."""

import socket

import pytest

from tests.live import seed as live_seed
from tests.live import target as live_target


def sandbox_as_target(sandbox, **seed_overrides):
    return live_target.LiveGravitee(sandbox.urls, {**sandbox.seed, **seed_overrides}, source="test")


def test_a_live_target_gives_the_same_urls_seed_and_env_as_the_sandbox(sandbox):
    target = sandbox_as_target(sandbox)
    assert target.urls == sandbox.urls
    assert target.seed == sandbox.seed
    assert target.env() == sandbox.env()


def test_seed_creates_and_enables_a_missing_domain_then_changes_nothing(sandbox):
    target = sandbox_as_target(sandbox, am_domain="live-seed-check")
    domain, writes = live_seed.seed_am(target)
    assert writes == ["create", "enable"]
    stored = sandbox.am.domains[domain["id"]]
    assert stored["hrid"] == "live-seed-check"
    assert stored["enabled"] is True
    assert stored["dataPlaneId"] == "default"
    again, writes = live_seed.seed_am(target)
    assert writes == []
    assert again["id"] == domain["id"]


def test_seed_leaves_the_already_seeded_domain_alone(sandbox):
    domain, writes = live_seed.seed_am(sandbox_as_target(sandbox))
    assert writes == []
    assert domain["hrid"] == sandbox.seed["am_domain"]


def test_seed_reports_bad_credentials_with_the_status(sandbox):
    target = sandbox_as_target(sandbox, am_password="wrong")
    with pytest.raises(live_seed.SeedError, match="401"):
        live_seed.seed_am(target)


def test_targets_come_from_live_variables_with_real_install_defaults():
    target = live_target.from_environment({
        "GRAVITEE_LIVE_AM_URL": "http://127.0.0.1:8093",
        "GRAVITEE_LIVE_AM_GATEWAY_URL": "http://127.0.0.1:8092",
        "GRAVITEE_LIVE_AM_DOMAIN": "other-domain",
    })
    assert target.has("am_url", "am_gateway_url")
    assert not target.has("apim_url")
    assert target.seed["am_password"] == "adminadmin"
    assert target.seed["am_domain"] == "other-domain"
    assert target.env()["GRAVITEE_AM_URL"] == "http://127.0.0.1:8093"
    assert "GRAVITEE_APIM_URL" not in target.env()
    assert live_target.from_environment({"PATH": "/bin"}) is None


def test_no_target_explains_itself_with_the_last_probe_verdict(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAVITEE_LIVE_HOME", str(tmp_path))
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "verdict-drivers-am.txt").write_text("blocked: no AM zip\n")
    target, why_not = live_target.locate({})
    assert target is None
    assert "GRAVITEE_LIVE_AM_URL" in why_not and "blocked: no AM zip" in why_not


def test_the_state_file_written_by_start_is_found_while_its_servers_answer(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAVITEE_LIVE_HOME", str(tmp_path))
    am_url = sandbox.urls["am_url"]
    live_target.write_state(live_target.state_path(), {"am_url": am_url}, versions={"am": "4.12.4"})
    target, _ = live_target.locate({})
    assert target.urls["am_url"] == am_url
    assert target.versions == {"am": "4.12.4"}


def test_a_stale_state_file_is_no_target(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAVITEE_LIVE_HOME", str(tmp_path))
    with socket.socket() as probe:  # a port nobody listens on once the socket is closed
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    live_target.write_state(live_target.state_path(), {"am_url": dead})
    target, why_not = live_target.locate({})
    assert target is None
    assert "do not answer" in why_not
