"""Zendesk-shaped error responses, raised by handlers and rendered by the server."""

FORBIDDEN_ROLE = "You do not have access to this page. Please contact the account owner of this help desk for further help."


class ApiError(Exception):
    """An HTTP error with a JSON body (or plain text) exactly as Zendesk would send it."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


INVALID_TOKEN = "The access token provided is expired, revoked, malformed or invalid for other reasons."


def unauthorized():
    """401 for missing or wrong Basic credentials, anonymous calls where auth is needed, and suspended users."""
    return ApiError(401, {"error": "Couldn't authenticate you"}, {"WWW-Authenticate": 'Basic realm="Web Password"'})


def invalid_token():
    """401 for a Bearer value that is no live token (unknown, revoked, expired, malformed): OAuth 2.0's answer."""
    return ApiError(401, {"error": "invalid_token", "error_description": INVALID_TOKEN},
                    {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{INVALID_TOKEN}"'})


def forbidden_role():
    """403 for a caller whose role may not use the endpoint."""
    return ApiError(403, {"error": "Forbidden", "description": FORBIDDEN_ROLE})


def missing_scope(scope):
    """403 for a Bearer token without the scope the endpoint needs."""
    return ApiError(403, {"error": "Forbidden", "description": f"You are missing the following required scopes: {scope}"})


def record_not_found():
    """404 for an unknown (or invisible) record."""
    return ApiError(404, {"error": "RecordNotFound", "description": "Not found"})


def invalid_endpoint():
    """404 for a path (or method) the API does not have."""
    return ApiError(404, {"error": "InvalidEndpoint", "description": "Not found"})


def bad_request(error, description):
    """400 for malformed requests (bad JSON, bad pagination parameters)."""
    return ApiError(400, {"error": error, "description": description})


def record_invalid(field, error, description):
    """422 RecordInvalid with Zendesk's `details` for one field."""
    details = {field: [{"description": description, "error": error}]}
    return ApiError(422, {"error": "RecordInvalid", "description": "Record validation errors", "details": details})
