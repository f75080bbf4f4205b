def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a whole AWX-shaped job (two playbook runs); part of the normal suite")
