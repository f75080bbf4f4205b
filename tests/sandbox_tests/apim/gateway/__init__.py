"""Tests of tests/sandbox/apim/gateway."""
