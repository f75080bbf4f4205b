"""Tests of tests/sandbox/am/mgmt."""
