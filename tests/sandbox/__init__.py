"""A strict in-memory test double of Gravitee APIM and AM (see runtime.Sandbox).

Layout: ``apim/mgmt`` and ``apim/gateway`` share the APIM store (``apim/store.py``); ``am/mgmt`` and
``am/gateway`` share the AM store (``am/store.py``) and AM's validation rules (``am/validation.py``);
``upstream.py`` is the MCP server behind the gateway. ``runtime.py`` (ports, seed, start/stop), ``control.py``
(the ``/_sandbox`` endpoints), ``requestlog.py`` (exchange log, faults) and ``tls.py`` serve every component.
"""

from .runtime import Sandbox, SandboxConfig  # noqa: F401
