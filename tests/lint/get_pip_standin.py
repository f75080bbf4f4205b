"""Offline stand-in for the pip bootstrap script ansible-test downloads.

ansible-test runs it as ``python get_pip.py <pip options> <packages>`` inside a fresh
venv. The download host is unreachable here; ensurepip plus PyPI does the same job.
"""

import subprocess
import sys

IGNORED = {"--no-setuptools", "--no-wheel"}

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
args = [arg for arg in sys.argv[1:] if arg not in IGNORED]
subprocess.check_call([sys.executable, "-m", "pip", "install", *args])
