"""Session checks for the download service."""
import hmac


def check_session(token, expected):
    """Constant-time comparison of the session token."""
    return hmac.compare_digest(token.encode(), expected.encode())
