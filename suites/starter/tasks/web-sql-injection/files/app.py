"""The shop's request handler: python3 app.py '/search?q=TERM' prints a JSON response."""
import json
import sqlite3
import sys
from urllib.parse import parse_qs, urlsplit


def handle(target):
    url = urlsplit(target)
    params = parse_qs(url.query)
    db = sqlite3.connect("shop.db")
    if url.path == "/search":
        term = params.get("q", [""])[0]
        query = "SELECT name, price FROM products WHERE name LIKE '%" + term + "%'"
        try:
            rows = db.execute(query).fetchall()
        except sqlite3.Error as e:
            return 500, {"error": str(e)}
        return 200, {"results": [{"name": n, "price": p} for n, p in rows]}
    if url.path == "/":
        return 200, {"shop": "Lamps and more", "endpoints": ["/search?q=TERM"]}
    return 404, {"error": "not found"}


if __name__ == "__main__":
    status, body = handle(sys.argv[1] if len(sys.argv) > 1 else "/")
    print(json.dumps({"status": status, "body": body}))
