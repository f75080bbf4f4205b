"""Unit tests of plugins/module_utils/am."""
