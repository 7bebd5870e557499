"""Google's JSON error envelope."""

from __future__ import annotations

_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    def __init__(self, code: int, reason: str, message: str, domain: str = "global", **extra):
        super().__init__(f"{code} {reason}: {message}")
        self.code, self.reason, self.message, self.domain = code, reason, message, domain
        self.extra = extra  # e.g. location, locationType

    def body(self) -> dict:
        detail = {"message": self.message, "domain": self.domain, "reason": self.reason}
        detail.update(self.extra)
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "errors": [detail],
                "status": _STATUS.get(self.code, "UNKNOWN"),
            }
        }


def bad_request(message: str, reason: str = "badRequest", **extra) -> ApiError:
    return ApiError(400, reason, message, **extra)


def forbidden(message: str = "Forbidden") -> ApiError:
    return ApiError(403, "forbidden", message)


def unsupported() -> ApiError:
    return bad_request("The query is not supported.")


def quota_exceeded() -> ApiError:
    return ApiError(
        403,
        "quotaExceeded",
        "The request cannot be completed because you have exceeded your "
        '<a href="/youtube/v3/getting-started#quota">quota</a>.',
        domain="youtube.quota",
    )


def transient(code: int) -> ApiError:
    if code == 429:
        return ApiError(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")
    if code == 503:
        return ApiError(503, "backendError", "The service is currently unavailable.")
    return ApiError(code, "internalError", "Internal error encountered.")


def unauthenticated(missing: bool) -> ApiError:
    if missing:
        return ApiError(
            401,
            "required",
            "Request is missing required authentication credential. Expected OAuth 2 access "
            "token, login cookie or other valid authentication credential.",
            location="Authorization",
            locationType="header",
        )
    return ApiError(
        401, "authError", "Invalid Credentials", location="Authorization", locationType="header"
    )
