"""Control endpoints on the APIM management port, for tests and benchmarks.

- ``GET /_sandbox/requests[?since=SEQ]``: every exchange on every port since SEQ.
- ``POST /_sandbox/reset``: back to the seeded state (log and faults emptied).
- ``GET|POST|DELETE /_sandbox/faults``: list, add (JSON body = FaultRule fields), clear.
- ``GET|POST /_sandbox/config``: read or change ``sync_delay``, ``apim_version``,
  ``am_version``, ``apim_edition``, ``domain_redeploy_window``, ``domain_redeploy_refusals`` on a running sandbox.
"""

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from .requestlog import FaultRule

CONFIG_KEYS = ("sync_delay", "apim_version", "am_version", "apim_edition", "domain_redeploy_window",
               "domain_redeploy_refusals")


def build_control_app(sandbox):
    async def requests_(request):
        since = int(request.query_params.get("since", "0"))
        return JSONResponse({"last": sandbox.log.last_seq(), "requests": sandbox.log.since(since)})

    async def reset(request):
        sandbox.reset()
        return JSONResponse({"reset": True})

    async def faults(request):
        if request.method == "POST":
            body = await request.json()
            unknown = set(body) - set(FaultRule.__dataclass_fields__) - {"hits"}
            if unknown:
                return JSONResponse({"message": f"unknown fault keys {sorted(unknown)}"}, status_code=400)
            rule = sandbox.faults.add(**body)
            return JSONResponse(rule.public(), status_code=201)
        if request.method == "DELETE":
            sandbox.faults.clear()
            return JSONResponse({"cleared": True})
        return JSONResponse([r.public() for r in sandbox.faults.rules])

    async def config(request):
        if request.method == "POST":
            body = await request.json()
            unknown = set(body) - set(CONFIG_KEYS)
            if unknown:
                return JSONResponse({"message": f"unknown config keys {sorted(unknown)}"}, status_code=400)
            for key, value in body.items():
                setattr(sandbox.config, key, value)
        return JSONResponse({k: getattr(sandbox.config, k) for k in CONFIG_KEYS})

    return Starlette(routes=[
        Route("/_sandbox/requests", requests_, methods=["GET"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/_sandbox/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/config", config, methods=["GET", "POST"]),
    ])


def mount(sandbox, app):
    control_app = build_control_app(sandbox)

    async def dispatch(scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/_sandbox"):
            await control_app(scope, receive, send)
        else:
            await app(scope, receive, send)

    return dispatch
