"""Serves report files to logged-in users."""
import os

REPORTS = "/srv/reports"
ALLOWED_TYPES = {".pdf", ".csv", ".txt"}


def content_type(name):
    ext = os.path.splitext(name)[1].lower()
    return {"pdf": "application/pdf", "csv": "text/csv"}.get(ext[1:], "text/plain")


def download(user, name):
    """Returns (content type, bytes) of the report `name` for `user`."""
    if not user.get("logged_in"):
        return None
    path = os.path.join(REPORTS, name)
    if os.path.splitext(path)[1].lower() not in ALLOWED_TYPES:
        return None
    with open(path, "rb") as f:
        return content_type(name), f.read()
