"""The APIM test double: management API v2 (mgmt/) and gateway (gateway/), sharing one store."""
