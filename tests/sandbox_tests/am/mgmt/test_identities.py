"""AM management API: identity providers of a domain (IdentityProvidersResource.java), the list only."""

from tests.sandbox_tests.am.mgmt.helpers import AmClient


def test_list_is_a_bare_array_of_filtered_entries_with_the_default_provider(sandbox):
    client = AmClient(sandbox)
    answer = client.get(client.d("/identities"))
    assert answer.status_code == 200
    idps = answer.json()
    assert isinstance(idps, list)
    assert [(i["id"], i["system"]) for i in idps] == [("default-idp-" + client.domain_id, True)]
    assert all(set(i) <= {"id", "name", "type", "system", "external", "passwordPolicy"} for i in idps)
