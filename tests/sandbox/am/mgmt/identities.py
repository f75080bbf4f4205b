"""Identity providers of a domain (AM's IdentityProvidersResource.java): the list only.

AM answers a bare JSON array of ``FilteredIdentityProviderInfo`` entries
(``id, name, type, system, external, passwordPolicy``), not a page.
"""

from .common import json_response, render

LIST_FIELDS = ("id", "name", "type", "system", "external", "passwordPolicy")


async def list_identity_providers(ctx):
    domain = ctx.domain()
    idps = ctx.store.identity_providers.get(domain["id"], [])
    return json_response([render({k: idp.get(k) for k in LIST_FIELDS}) for idp in idps])


ROUTES = [(r"{D}/identities", {"GET": list_identity_providers})]
