"""The live tier: the collection's checks against real Gravitee servers instead of the sandbox."""
