"""Tests of tests/sandbox/am."""
