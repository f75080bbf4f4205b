"""Contract tests: every management exchange the sandbox serves is checked against Gravitee's OpenAPI files.

- :mod:`.specs` finds and loads the spec files once (``$CONTRACT_SPECS_DIR`` or ``shared/specs`` beside the clone) and
  builds the route table.
- :mod:`.schemas` validates JSON against a spec schema (OpenAPI 3.0 rules) and flags undeclared properties.
- :mod:`.exchange` checks one request/response pair: route, credentials, query, bodies, status.
- :mod:`.deviations` lists where the real products differ from their own spec (each naming its source).
- :mod:`.recorder` collects the session's exchanges and turns the findings into one readable report.
"""
