"""Tests of tests/sandbox/apim/mgmt."""
