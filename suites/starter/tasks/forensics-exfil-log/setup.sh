#!/bin/sh
# Writes access.log: ordinary traffic, and the flag ($FLAG) leaving in three
# base64 chunks as a "tracking" parameter from one address.
set -eu
python3 - <<'PY'
import base64, os, random
flag = os.environ["FLAG"].encode()
enc = base64.urlsafe_b64encode(flag).decode()
parts = [enc[i::3] for i in range(3)]  # interleaved: order matters
rng = random.Random(4471)
paths = ["/", "/index.html", "/login", "/static/app.js", "/static/site.css", "/api/items?page=2",
         "/api/items?page=3", "/search?q=shoes", "/cart", "/favicon.ico"]
agents = ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "curl/8.4.0"]
lines = []
for i in range(400):
    ip = f"198.51.100.{rng.randint(2, 250)}"
    t = f"12/Nov/2026:{8 + i // 60:02d}:{i % 60:02d}:{rng.randint(0, 59):02d} +0000"
    lines.append(f'{ip} - - [{t}] "GET {rng.choice(paths)} HTTP/1.1" 200 {rng.randint(200, 9000)} "-" "{rng.choice(agents)}"')
for n, part in enumerate(parts):
    at = 120 + n * 97
    t = f"12/Nov/2026:{8 + at // 60:02d}:{at % 60:02d}:13 +0000"
    lines.insert(at, f'203.0.113.77 - - [{t}] "GET /pixel.gif?utm_id={n}&utm_content={part} HTTP/1.1" 200 43 "-" "Mozilla/5.0 (X11; Linux x86_64)"')
open("access.log", "w").write("\n".join(lines) + "\n")
PY
