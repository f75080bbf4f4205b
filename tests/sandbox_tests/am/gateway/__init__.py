"""Tests of tests/sandbox/am/gateway."""
