#!/usr/bin/env python3
"""Relevance evaluation of Vigie on the demo corpus (called by bench/relevance/run).

Indexes corpus/ into a temporary directory with a configuration (config/vigie.json
unless --config, plus --set overrides), runs every query of the collection with
`vigie-search --format jsonl --limit 10` and prints MRR@10, nDCG@10 and recall@10.
--grid runs the tuning grid (k1 x b x title_weight) instead, one index per
title_weight value. Python 3 standard library only.
"""

import argparse
import concurrent.futures
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CUTOFF = 10

GRID_K1 = [0.8, 1.0, 1.2, 1.5, 2.0]
GRID_B = [0.3, 0.5, 0.75, 0.9]
GRID_TITLE = [1, 2, 3, 5]


# --- configuration -----------------------------------------------------------

def strip_jsonc(text):
    """Removes // and /* */ comments and trailing commas outside strings
    (config/vigie.json allows both)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def load_config(path):
    with open(path, encoding="utf-8") as f:
        config = json.loads(strip_jsonc(f.read()))
    # Relative analysis files are resolved against the config's folder: make
    # them absolute, since the copy is written elsewhere.
    base = os.path.dirname(os.path.abspath(path))
    analysis = config.setdefault("analysis", {})
    for key, default in (("stopwords", "stopwords-fr.txt"), ("synonyms", "synonyms.txt")):
        value = analysis.get(key, default)
        if value and not os.path.isabs(value):
            analysis[key] = os.path.join(base, value)
    return config


def parse_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def apply_set(config, assignment):
    if "=" not in assignment:
        sys.exit(f"bench/relevance: --set needs KEY=VALUE, got {assignment!r}")
    key, value = assignment.split("=", 1)
    node = config
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            sys.exit(f"bench/relevance: {key}: {part} is not an object")
    node[parts[-1]] = parse_value(value)


def write_config(config, directory, name):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
    return path


def describe(config):
    bm25 = config.get("search", {}).get("bm25", {})
    return "k1={} b={} title_weight={} (k2={} k3={} min_normlen={})".format(
        bm25.get("k1"), bm25.get("b"), config.get("search", {}).get("title_weight"),
        bm25.get("k2"), bm25.get("k3"), bm25.get("min_normlen"))


# --- running Vigie -----------------------------------------------------------

class Vigie:
    def __init__(self, index_bin, search_bin, corpus, workdir):
        self.index_bin, self.search_bin, self.corpus, self.workdir = index_bin, search_bin, corpus, workdir

    def index(self, config_path, name):
        db = os.path.join(self.workdir, name)
        shutil.rmtree(db, ignore_errors=True)
        run = subprocess.run([self.index_bin, "--config", config_path, "--db", db, "--full", "--quiet", self.corpus],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"bench/relevance: vigie-index failed ({run.returncode}):\n{run.stderr}")
        return db

    def search(self, config_path, db, query, limit=CUTOFF):
        run = subprocess.run([self.search_bin, "--config", config_path, "--db", db, "--format", "jsonl",
                              "--limit", str(limit), query], capture_output=True, text=True)
        if run.returncode not in (0, 1):  # 1 = no hits
            raise RuntimeError(f"vigie-search failed on {query!r} ({run.returncode}): {run.stderr.strip()}")
        # A hit stands for its family (docs/families.md): the same text in
        # other files, which it lists in "also".
        hits = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        return [[h["id"]] + [m["id"] for m in h.get("also", []) + h.get("merged", [])] for h in hits]

    def all_ids(self, config_path, db):
        # A query made only of exclusions browses every document (every file).
        run = subprocess.run([self.search_bin, "--config", config_path, "--db", db, "--format", "jsonl",
                              "--all-files", "--limit", "0", "-qqzzqqvigienotaword"],
                             capture_output=True, text=True)
        return {json.loads(line)["id"] for line in run.stdout.splitlines() if line.strip()}


# --- metrics -------------------------------------------------------------------

def dcg(grades):
    return sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def score_query(hits, judgments):
    # Each hit: its id, then its family's other ids; graded by its best.
    hits = [h if isinstance(h, list) else [h] for h in hits[:CUTOFF]]
    grades = [max(judgments.get(i, 0) for i in h) for h in hits]
    first = next((i for i, g in enumerate(grades) if g > 0), None)
    ideal = dcg(sorted(judgments.values(), reverse=True)[:CUTOFF])
    relevant = [d for d, g in judgments.items() if g > 0]
    return {
        "rr": 0.0 if first is None else 1.0 / (first + 1),
        "ndcg": dcg(grades) / ideal if ideal > 0 else 0.0,
        "recall": len({i for h in hits for i in h if judgments.get(i, 0) > 0}) / len(relevant)
        if relevant else 0.0,
        "first": first,
    }


def evaluate(vigie, config_path, db, queries, jobs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        hit_lists = list(pool.map(lambda q: vigie.search(config_path, db, q["query"]), queries))
    per_query = [dict(score_query(h, q["judgments"]), hits=h) for h, q in zip(hit_lists, queries)]
    n = len(per_query)
    means = {m: sum(r[m] for r in per_query) / n for m in ("rr", "ndcg", "recall")}
    return means, per_query


def print_summary(means, n, label):
    print(f"{label}")
    print(f"  queries    {n}")
    print(f"  MRR@10     {means['rr']:.4f}")
    print(f"  nDCG@10    {means['ndcg']:.4f}")
    print(f"  recall@10  {means['recall']:.4f}")


def print_verbose(queries, per_query, show_hits):
    print(f"\n{'id':<5} {'style':<11} {'RR':>5} {'nDCG':>6} {'R@10':>5}  query")
    for q, r in zip(queries, per_query):
        print(f"{q['id']:<5} {q['style']:<11} {r['rr']:5.2f} {r['ndcg']:6.3f} {r['recall']:5.2f}  {q['query']}")
        if show_hits:
            for rank, h in enumerate(r["hits"], 1):
                grade = max(q['judgments'].get(i, 0) for i in h)
                print(f"{'':>12}{rank:2d}. [{grade}] {' = '.join(h)}")
            found = {i for h in r["hits"] for i in h}
            missed = [d for d, g in q["judgments"].items() if g > 0 and d not in found]
            for d in missed:
                print(f"{'':>12}    missed [{q['judgments'][d]}] {d}")


# --- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(prog="bench/relevance/run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=os.path.join(REPO, "config", "vigie.json"),
                    help="configuration file (default config/vigie.json)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a config value, e.g. --set search.bm25.k1=1.0 (repeatable)")
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.json"), help="relevance collection")
    ap.add_argument("--corpus", default=os.path.join(REPO, "corpus"), help="folder to index (default corpus/)")
    ap.add_argument("--verbose", "-v", action="store_true", help="per-query MRR, nDCG and recall")
    ap.add_argument("--hits", action="store_true", help="with --verbose: the top 10 with their grades, and the misses")
    ap.add_argument("--grid", action="store_true",
                    help="tuning grid: k1 in %s, b in %s, title_weight in %s" % (GRID_K1, GRID_B, GRID_TITLE))
    ap.add_argument("--json", metavar="FILE", help="write the results (per query, or the grid) as JSON")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel searches")
    # The hard collection (bench/relevance/hard, run after this one by run).
    ap.add_argument("--old-only", action="store_true", help="only this collection, not the hard one")
    ap.add_argument("--hard-only", action="store_true", help="only the hard collection (bench/relevance/hard)")
    ap.add_argument("--save-run", metavar="FILE", help="keep Vigie's run on the hard collection (for --compare)")
    ap.add_argument("--all-words", action="store_true",
                    help="the hard collection as the web page answers by default (no --any-words)")
    ap.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"),
                    help="paired significance test of two saved hard-collection runs (no indexing)")
    ap.add_argument("--index-bin", required=True, help=argparse.SUPPRESS)
    ap.add_argument("--search-bin", required=True, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.hard_only:
        return 0

    with open(args.queries, encoding="utf-8") as f:
        queries = json.load(f)["queries"]
    base = load_config(args.config)
    for assignment in args.set:
        apply_set(base, assignment)

    workdir = tempfile.mkdtemp(prefix="vigie-relevance-")
    try:
        vigie = Vigie(os.path.abspath(args.index_bin), os.path.abspath(args.search_bin), args.corpus, workdir)
        if args.grid:
            run_grid(vigie, base, queries, args)
        else:
            run_one(vigie, base, queries, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run_one(vigie, config, queries, args):
    config_path = write_config(config, vigie.workdir, "vigie.json")
    db = vigie.index(config_path, "index")
    known = vigie.all_ids(config_path, db)
    unknown = sorted({d for q in queries for d in q["judgments"] if d not in known})
    for d in unknown:
        print(f"bench/relevance: warning: judged id not in the index: {d}", file=sys.stderr)
    means, per_query = evaluate(vigie, config_path, db, queries, args.jobs)
    print_summary(means, len(queries), f"Vigie relevance on {os.path.relpath(args.corpus, REPO)}/ "
                                       f"({len(known)} documents): {describe(config)}")
    if args.verbose:
        print_verbose(queries, per_query, args.hits)
        styles = sorted({q["style"] for q in queries})
        print(f"\n{'style':<11} {'n':>3} {'MRR':>6} {'nDCG':>6} {'R@10':>6}")
        for s in styles:
            rows = [r for q, r in zip(queries, per_query) if q["style"] == s]
            print(f"{s:<11} {len(rows):3d} " + " ".join(
                f"{sum(r[m] for r in rows) / len(rows):6.3f}" for m in ("rr", "ndcg", "recall")))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"config": describe(config), "mean": means,
                       "queries": [dict(id=q["id"], query=q["query"], **r) for q, r in zip(queries, per_query)]},
                      f, ensure_ascii=False, indent=1)


def run_grid(vigie, base, queries, args):
    rows = []
    for title_weight in GRID_TITLE:
        config = json.loads(json.dumps(base))
        config.setdefault("search", {})["title_weight"] = title_weight
        index_config = write_config(config, vigie.workdir, f"index-{title_weight}.json")
        db = vigie.index(index_config, f"index-{title_weight}")
        for k1, b in itertools.product(GRID_K1, GRID_B):
            config["search"].setdefault("bm25", {}).update({"k1": k1, "b": b})
            path = write_config(config, vigie.workdir, "grid.json")
            means, _ = evaluate(vigie, path, db, queries, args.jobs)
            rows.append({"title_weight": title_weight, "k1": k1, "b": b, **means})
            print(f"title_weight={title_weight} k1={k1:<4} b={b:<4}  nDCG@10={means['ndcg']:.4f}  "
                  f"MRR@10={means['rr']:.4f}  recall@10={means['recall']:.4f}", flush=True)
    best = max(rows, key=lambda r: (round(r["ndcg"], 6), round(r["rr"], 6)))
    print(f"\nbest by nDCG@10 (MRR@10 breaks ties): title_weight={best['title_weight']} k1={best['k1']} "
          f"b={best['b']}  nDCG@10={best['ndcg']:.4f}  MRR@10={best['rr']:.4f}  recall@10={best['recall']:.4f}")
    # Each cell averaged with its grid neighbours (same title_weight, adjacent
    # k1 and b): a choice in a flat region is less likely to be noise.
    def neighbours(r):
        ki, bi = GRID_K1.index(r["k1"]), GRID_B.index(r["b"])
        return [o for o in rows if o["title_weight"] == r["title_weight"]
                and abs(GRID_K1.index(o["k1"]) - ki) <= 1 and abs(GRID_B.index(o["b"]) - bi) <= 1]
    for r in rows:
        near = neighbours(r)
        r["ndcg_smoothed"] = sum(o["ndcg"] for o in near) / len(near)
    smooth = max(rows, key=lambda r: (round(r["ndcg_smoothed"], 6), round(r["ndcg"], 6), round(r["rr"], 6)))
    print(f"best neighbourhood (mean nDCG@10 of the cell and its k1/b neighbours): "
          f"title_weight={smooth['title_weight']} k1={smooth['k1']} b={smooth['b']}  "
          f"smoothed={smooth['ndcg_smoothed']:.4f}  nDCG@10={smooth['ndcg']:.4f}  MRR@10={smooth['rr']:.4f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
