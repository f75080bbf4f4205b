"""Tests of tests/sandbox/apim."""
