"""What the doc fragment tests compare: documented options against an argument spec."""


def assert_documents_the_spec(options, spec):
    """``options`` (a fragment's YAML) documents exactly the options of ``spec``, with their type, required,
    default and choices, sub-options included."""
    assert sorted(options) == sorted(spec)
    for name, option in spec.items():
        doc = options[name]
        assert doc["type"] == option["type"], name
        assert doc.get("required", False) == option.get("required", False), name
        assert doc.get("default") == option.get("default"), name
        assert doc.get("choices") == option.get("choices"), name
        assert doc["description"], name
        if "options" in option:
            assert_documents_the_spec(doc["suboptions"], option["options"])
