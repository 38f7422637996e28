#!/usr/bin/env python3
"""Runs the three rankers of the hard collection over the same documents and
saves one run file each (query id<TAB>rank<TAB>doc id<TAB>score, top --k):

- vigie:  indexes the corpus with vigie-index (a JSON session's deliberations
          are separate documents) and asks vigie-search each query as typed
          (Vigie syntax included), --any-words so that a question's documents
          holding only some of its words are ranked too (after those with all),
          --format json so that a misspelt query is corrected as on the web.
          One hit stands for its family (the same text in other files).
- lucene: bench/lucene/run (Lucene 8 as Elasticsearch's French analyzer,
          BM25 1.2/0.75) on the query's "peer" text (plain words).
- xapian: xapian_peer.py (Xapian BM25, French stemmer, STEM_SOME, Snowball
          stop list) on the same "peer" text.

The peers index the documents exported from that same Vigie index
(export.py), so every ranker ranks the same ids. With a peer (or --export) also
writes docs.jsonl (the export) and families.tsv (id<TAB>family key: files
holding the same text, which the evaluation counts once).

  rankers.py --out DIR [--rankers vigie,lucene,xapian] [--k 100] [--config F] [--set K=V ...]
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.dirname(HERE))
import evaluate as old  # noqa: E402  (config loading and --set of the old collection)

CORPUS = os.path.join(REPO, "..", "shared", "corpus")


def load_queries(path=os.path.join(HERE, "queries.json")):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["queries"]


def family_keys(docs_path):
    """id -> family key (the smallest id of the files holding the same text)."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            find(d["id"])
            for m in d.get("family", []):
                a, b = find(d["id"]), find(m)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in parent}


def vigie_run(args, config_path, db, queries, out_path):
    def one(q):
        # --format json, as the web page answers: a misspelt query that finds
        # nothing is searched corrected (jsonl, like an export, never does).
        words = [] if args.all_words else ["--any-words"]
        run = subprocess.run([args.search_bin, "--config", config_path, "--db", db, "--format", "json"] +
                             words + ["--limit", str(args.k), q["text"]], capture_output=True, text=True)
        if run.returncode not in (0, 1):
            print(f"rankers: vigie-search {q['id']} {q['text']!r}: exit {run.returncode}: {run.stderr.strip()}",
                  file=sys.stderr)
            return []
        return json.loads(run.stdout).get("hits", [])

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one, queries))
    with open(out_path, "w", encoding="utf-8") as out:
        for q, hits in zip(queries, results):
            for rank, h in enumerate(hits, 1):
                # A hit stands for its family (the same text in other files,
                # "also"): extra rows of the same rank. The files it is merged
                # with ("merged": a session and its matching deliberations,
                # shown inside the hit) are rows marked "merged": they count
                # as found (R@100) but do not grade the hit (MRR, nDCG).
                for doc_id in [h["id"]] + [m["id"] for m in h.get("also", [])]:
                    out.write(f"{q['id']}\t{rank}\t{doc_id}\t{h.get('score', 0)}\n")
                for m in h.get("merged", []):
                    out.write(f"{q['id']}\t{rank}\t{m['id']}\t{h.get('score', 0)}\tmerged\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for the run files, docs.jsonl and families.tsv")
    ap.add_argument("--rankers", default="vigie,lucene,xapian")
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--all-words", action="store_true",
                    help="Vigie without --any-words, as the web page answers by default: every word "
                         "required, the first page filled with documents holding some of them")
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.json"))
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--config", default=os.path.join(REPO, "config", "vigie.json"))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--name", default="vigie", help="run file name for Vigie (e.g. vigie-k1.0)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--export", action="store_true",
                    help="write docs.jsonl and families.tsv even when only Vigie runs (the peers always need them)")
    ap.add_argument("--bin-dir", default=os.path.join(REPO, "build", "release"),
                    help="build folder holding indexer/vigie-index, cli/vigie-search, server/vigie-server")
    args = ap.parse_args(argv)
    args.index_bin = os.path.join(args.bin_dir, "indexer", "vigie-index")
    args.search_bin = os.path.join(args.bin_dir, "cli", "vigie-search")
    server_bin = os.path.join(args.bin_dir, "server", "vigie-server")
    os.makedirs(args.out, exist_ok=True)
    queries = load_queries(args.queries)
    rankers = args.rankers.split(",")

    config = old.load_config(args.config)
    for assignment in args.set:
        old.apply_set(config, assignment)
    with tempfile.TemporaryDirectory(prefix="vigie-hard-") as work:
        config_path = old.write_config(config, work, "vigie.json")
        db = os.path.join(work, "index")
        run = subprocess.run([args.index_bin, "--config", config_path, "--db", db, "--full", "--quiet", args.corpus],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"rankers: vigie-index failed ({run.returncode}):\n{run.stderr}")
        docs = os.path.join(args.out, "docs.jsonl")
        if "lucene" in rankers or "xapian" in rankers or args.export:
            subprocess.run([sys.executable, os.path.join(HERE, "export.py"), "--db", db, "--out", docs, "--config",
                            config_path, "--search-bin", args.search_bin, "--server-bin", server_bin], check=True)
            with open(os.path.join(args.out, "families.tsv"), "w", encoding="utf-8") as f:
                for doc_id, key in sorted(family_keys(docs).items()):
                    f.write(f"{doc_id}\t{key}\n")
        if "vigie" in rankers:
            vigie_run(args, config_path, db, queries, os.path.join(args.out, args.name + ".tsv"))
        peer_queries = os.path.join(work, "peer-queries.tsv")
        with open(peer_queries, "w", encoding="utf-8") as f:
            for q in queries:
                f.write(f"{q['id']}\t{' '.join(q['peer'].split())}\n")
        if "lucene" in rankers:
            subprocess.run([os.path.join(REPO, "bench", "lucene", "run"), "--docs", docs, "--queries", peer_queries,
                            "--k", str(args.k), "--index", os.path.join(work, "lucene"),
                            "--out", os.path.join(args.out, "lucene.tsv")], check=True)
        if "xapian" in rankers:
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "xapian_peer.py"), "--docs", docs, "--queries",
                            peer_queries, "--k", str(args.k), "--out", os.path.join(args.out, "xapian.tsv")],
                           check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
