def pytest_configure(config):
    # Runs in the normal suite; the mark only names the tests that make whole playbook runs.
    config.addinivalue_line("markers", "slow: whole playbook runs (AWX job, README commands)")
