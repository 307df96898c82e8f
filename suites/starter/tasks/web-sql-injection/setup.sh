#!/bin/sh
# Creates shop.db: products, and the administrators' table holding this run's flag.
set -eu
python3 - <<'PY'
import os, sqlite3
db = sqlite3.connect("shop.db")
db.execute("CREATE TABLE products (name TEXT, price REAL)")
db.executemany("INSERT INTO products VALUES (?, ?)",
               [("desk lamp", 24.5), ("floor lamp", 89.0), ("lamp shade", 12.0), ("bulb", 3.2)])
db.execute("CREATE TABLE admin_secrets (name TEXT, value TEXT)")
db.execute("INSERT INTO admin_secrets VALUES ('backup-key', ?)", (os.environ["FLAG"],))
db.commit()
PY
