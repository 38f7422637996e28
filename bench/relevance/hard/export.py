#!/usr/bin/env python3
"""Exports the documents of a Vigie index as JSON lines, so that the peers
(Lucene, Xapian) index exactly the units Vigie indexed: one line per document,
{"id", "title", "body", "date", "type", "family", "whole"}.

It asks a real vigie-server for each document (GET /api/documents/{id}: the
stored text, as the document page shows it) after listing every id with
vigie-search (a query made only of an exclusion browses every file).

  export.py --db DIR --out docs.jsonl [--server-bin B] [--search-bin B] [--config F]
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def all_ids(search_bin, config, db):
    run = subprocess.run([search_bin, "--config", config, "--db", db, "--format", "jsonl", "--all-files",
                          "--limit", "0", "-qqzzqqvigienotaword"], capture_output=True, text=True, check=True)
    return sorted(json.loads(line)["id"] for line in run.stdout.splitlines() if line.strip())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port, doc_id):
    url = f"http://127.0.0.1:{port}/api/documents/" + urllib.parse.quote(doc_id, safe="")
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", default=os.path.join(REPO, "config", "vigie.json"))
    ap.add_argument("--search-bin", default=os.path.join(REPO, "build/release/cli/vigie-search"))
    ap.add_argument("--server-bin", default=os.path.join(REPO, "build/release/server/vigie-server"))
    args = ap.parse_args()

    ids = all_ids(args.search_bin, args.config, args.db)
    port = free_port()
    server = subprocess.Popen([args.server_bin, "--config", args.config, "--db", args.db, "--bind", "127.0.0.1",
                               "--port", str(port), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with open(args.out, "w", encoding="utf-8") as out:
            for doc_id in ids:
                d = fetch(port, doc_id)
                out.write(json.dumps({
                    "id": doc_id, "title": d.get("title", ""), "body": d.get("text", ""),
                    "date": d.get("date", ""), "type": d.get("type", ""),
                    "family": [m["id"] for m in d.get("family", [])],
                    "whole": (d.get("whole") or {}).get("id", ""),
                }, ensure_ascii=False) + "\n")
    finally:
        server.terminate()
        server.wait()
    print(f"export: {len(ids)} documents → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
