"""The AM test double: management API (mgmt/) and gateway (gateway/), sharing one store."""
