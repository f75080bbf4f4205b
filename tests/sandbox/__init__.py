"""A strict in-memory test double of Gravitee APIM and AM (see runtime.Sandbox)."""

from .runtime import Sandbox, SandboxConfig  # noqa: F401
