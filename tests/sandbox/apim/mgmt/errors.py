"""APIM management API v2 errors: the exceptions Gravitee throws and the bodies its mappers write.

Every error body is ``{httpStatus, message, technicalCode?, parameters?, details?}`` (the mAPI v2
``Error`` schema of openapi-apis.yaml).
Messages, technical codes and parameters are the ones of the Java exceptions of
gravitee-api-management 4.12.17 (``rest.api.service.exceptions.*``, ``apim.core.*.exception.*`` and the
v2 ``exceptionmapper`` package). Which family an error belongs to decides its shape:

- "management" exceptions carry technicalCode + parameters (``{}`` when the Java code returns an empty map);
- "domain" validation exceptions carry parameters (an empty map by default) and rarely a technicalCode;
- domain not-found exceptions put the id in ``parameters.id``;
- ``BadRequestException`` (JAX-RS) has a message only; bean validation has "Validation error" + details;
- JSON mapping errors have technicalCode ``invalidValue`` and a detail naming the field.
"""

from starlette.responses import JSONResponse, Response


class ApimError(Exception):
    def __init__(self, status, message, technical_code=None, parameters=None, details=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.technical_code = technical_code
        self.parameters = parameters
        self.details = details

    def body(self):
        body = {"httpStatus": self.status, "message": self.message}
        if self.technical_code is not None:
            body["technicalCode"] = self.technical_code
        if self.parameters is not None:
            body["parameters"] = self.parameters
        if self.details is not None:
            body["details"] = self.details
        return body

    def response(self):
        return JSONResponse(self.body(), status_code=self.status)


class PreconditionFailed(ApimError):
    """``If-Match`` mismatch: 412 with no body at all (PreconditionFailedExceptionMapper)."""

    def __init__(self):
        super().__init__(412, "Precondition Failed")

    def response(self):
        return Response(status_code=412)


# -- transport-level ---------------------------------------------------------------------------
def unauthorized():
    # Spring Security answers before Jersey; the reason phrase is the message.
    return ApimError(401, "Unauthorized")


def route_not_found():
    return ApimError(404, "HTTP 404 Not Found")


def method_not_allowed():
    return ApimError(405, "HTTP 405 Method Not Allowed")


def bad_request(message):
    """jakarta.ws.rs.BadRequestException through BadRequestExceptionMapper: message only."""
    return ApimError(400, message)


def validation_error(details):
    """Bean validation (ConstraintValidationExceptionMapper); details: (location, message[, invalid value])."""
    items = []
    for detail in details:
        item = {"message": detail[1], "location": detail[0]}
        if len(detail) > 2 and detail[2] is not None:
            item["invalidValue"] = detail[2]
        items.append(item)
    return ApimError(400, "Validation error", details=items)


def invalid_value(message, location=None):
    """A body Jackson cannot map (JsonMappingExceptionMapper)."""
    details = [{"message": message, "location": location}] if location else None
    return ApimError(400, message, "invalidValue", details=details)


def unexpected_enum(value, location):
    return invalid_value(f"Unexpected value '{value}'", location)


def query_param_invalid(name, cause):
    """A query parameter Jersey cannot convert (ParamExceptionMapper)."""
    return ApimError(400, f"Query parameter {name} does not have a valid format",
                     details=[{"message": cause, "location": name}])


def pagination_invalid():
    return ApimError(400, "Pagination is not valid", "pagination.invalid")


def domain_validation(message, parameters=None, technical_code=None):
    return ApimError(400, message, technical_code, dict(parameters or {}))


def data_invalid(message):
    return ApimError(400, message, "data.invalid")


# -- not found -----------------------------------------------------------------------------------
def api_not_found(api_id):
    return ApimError(404, f"Api [{api_id}] cannot be found.", "api.notFound", {"api": api_id})


def api_not_found_domain(api_id):
    return ApimError(404, "Api not found.", parameters={"id": api_id})


def plan_not_found(plan_id):
    return ApimError(404, f"Plan [{plan_id}] cannot be found.", "plan.notFound", {"plan": plan_id})


def environment_not_found(env_id):
    return ApimError(404, f"Environment [{env_id}] cannot be found.", "environment.notFound",
                     {"environment": env_id})


def organization_not_found(org_id):
    return ApimError(404, f"Organization [{org_id}] cannot be found.", "organization.notFound",
                     {"organization": org_id})


def plugin_not_found(plugin_id):
    return ApimError(404, f"Plugin [{plugin_id}] cannot be found.", "plugin.notFound", {"plugin": plugin_id})


# -- API state -------------------------------------------------------------------------------------
def api_not_deployable(message):
    return ApimError(400, message, "api.NotDeployable")


def api_running(api_id):
    return ApimError(400, f"API [{api_id}] is still running and must be stopped before being deleted !",
                     "api.running", {"api": api_id})


def api_not_deletable(plan_names):
    plans = ", ".join(plan_names)
    return ApimError(400, f"Plan(s) [{plans}] must be closed before being able to delete the API !",
                     "api.notDeletable", {"plans": plans})


def api_type_change():
    return ApimError(400, "You are not allowed to change the API type", "apiType.notAllowed", {})


def lifecycle_change_not_allowed(state):
    return ApimError(400, f"The API lifecycle state cannot be changed to {state}.", "api.lifecycleState.invalid",
                     {"lifecycleState": state})


def api_invalid(api_id):
    return ApimError(400, f"Api [{api_id}] is not valid.", "api.invalid", {"apiId": api_id})


# -- plans -------------------------------------------------------------------------------------------
def plan_closed(plan_id):
    return ApimError(400, f"Plan {plan_id} is already closed !", "plan.closed", {"plan": plan_id})


def plan_published(plan_id):
    return ApimError(400, f"Plan {plan_id} is already published !", "plan.published", {"plan": plan_id})


def plan_deprecated(plan_id):
    return ApimError(400, f"Plan {plan_id} is already deprecated !", "plan.deprecated", {"plan": plan_id})


def plan_not_published(plan_id):
    return ApimError(400, f"Plan {plan_id} is not yet published !", "plan.notPublished", {"plan": plan_id})


def keyless_exists(plan_id):
    return ApimError(400, "A key-less plan is already published (or has been deprecated)!", "plan.keyless.exists",
                     {"plan": plan_id})


def plan_invalid(plan_id=None):
    if plan_id is None:
        return ApimError(400, "Plan is not valid.", "plan.invalid")
    return ApimError(400, f"Plan [{plan_id}] is not valid.", "plan.invalid", {"plan": plan_id})
