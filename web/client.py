"""Who is asking: the address rate limits and login throttles count by."""

from typing import Optional


def client_address(request, trust_forwarded_for: bool) -> str:
    forwarded: Optional[str] = request.headers.get("X-Forwarded-For")
    if trust_forwarded_for and forwarded:
        return forwarded.split(",")[0].strip()
    return request.ip or "unknown"
