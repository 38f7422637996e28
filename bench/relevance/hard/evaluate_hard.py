#!/usr/bin/env python3
"""Scores run files on the hard collection: MRR@10, nDCG@10 and R@100 over
the judged queries (judgments/qNNN.tsv) that have at least one relevant
document, overall and per style, and compares two runs with a paired
randomisation test (two-sided, 10,000 permutations of the per-query
differences' signs, fixed seed) and a bootstrap 95 % interval of the mean
difference.

  evaluate_hard.py runs/vigie.tsv runs/lucene.tsv runs/xapian.tsv
  evaluate_hard.py --compare runs/vigie.tsv runs/lucene.tsv
  evaluate_hard.py --verbose runs/vigie.tsv          # + one line per query

A run file: query id<TAB>rank<TAB>doc id<TAB>score[<TAB>merged], best
first; rows with the same rank are one hit (Vigie's hit and its family),
graded by its best file; rows marked "merged" are files shown inside the hit
(a session and its matching deliberations): found for R@100, not graded. Files holding the same text (families.tsv) count
once: a family met higher up is not counted again, and a family's grade is
the best grade its judged files got. Unjudged documents count as not relevant; "judged@10" says how
much of a run's top 10 the judges saw (a new ranking far below 1.0 should
extend the pool first: pool.py --unjudged). Python 3 standard library only.
"""

import argparse
import glob
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
METRICS = ("rr", "ndcg", "r100")
LABELS = {"rr": "MRR@10", "ndcg": "nDCG@10", "r100": "R@100"}
PERMUTATIONS = 10000
SEED = 20261207


def load_queries(path=os.path.join(HERE, "queries.json")):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["queries"]


def load_families(path=os.path.join(HERE, "families.tsv")):
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f if "\t" in line)


def load_judgments(folder, families):
    """query id -> {family key: grade} for each judgments/qNNN.tsv."""
    judged = {}
    for path in sorted(glob.glob(os.path.join(folder, "q*.tsv"))):
        qid = os.path.basename(path)[:-4]
        grades = {}
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                parts = line.rstrip("\n").split("\t")
                if not line.strip() or line.startswith("#"):
                    continue
                if len(parts) < 2 or parts[1].strip() not in ("0", "1", "2"):
                    print(f"evaluate_hard: {path}:{n}: expected id<TAB>0|1|2, got {line.strip()!r}", file=sys.stderr)
                    continue
                key = families.get(parts[0].strip(), parts[0].strip())
                grades[key] = max(grades.get(key, 0), int(parts[1]))
        judged[qid] = grades
    return judged


def load_run(path, families):
    """query id -> hits in rank order, each hit the set of family keys of its
    files (rows with the same rank are one hit: Vigie's hit and the files
    shown with it); a family already met higher up is not counted again."""
    ranked = {}
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    rows.sort(key=lambda r: (r[0], int(r[1])))
    groups = {}
    for r in rows:
        shown = len(r) > 4 and r[4] == "merged"
        groups.setdefault((r[0], int(r[1])), ([], []))[shown].append(families.get(r[2], r[2]))
    seen = {}
    for (qid, _), (keys, shown) in sorted(groups.items()):
        met = seen.setdefault(qid, set())
        new = {k for k in keys if k not in met}
        if new:
            ranked.setdefault(qid, []).append(Hit(new, {k for k in shown if k not in met} - new))
            met |= new
    return ranked


class Hit(set):
    """The family keys a hit is (they grade it), and in `shown` those of the
    files shown inside it (Vigie's "merged": they count as found only)."""

    def __init__(self, keys, shown):
        super().__init__(keys)
        self.shown = shown


def dcg(grades):
    return sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def score(ranked, grades):
    top10 = [max(grades.get(k, 0) for k in hit) for hit in ranked[:10]]
    first = next((i for i, g in enumerate(top10) if g > 0), None)
    ideal = dcg(sorted(grades.values(), reverse=True)[:10])
    relevant = {k for k, g in grades.items() if g > 0}
    top100 = set().union(*ranked[:100], *(hit.shown for hit in ranked[:100])) if ranked else set()
    return {
        "rr": 0.0 if first is None else 1.0 / (first + 1),
        "ndcg": dcg(top10) / ideal if ideal > 0 else 0.0,
        "r100": len(relevant & top100) / len(relevant),
        "judged10": sum(1 for hit in ranked[:10] if hit & grades.keys()) / min(10, len(ranked)) if ranked else 1.0,
    }


def evaluate(run, judgments, queries):
    """Per-query scores over the judged queries with a relevant document."""
    out = {}
    for q in queries:
        grades = judgments.get(q["id"])
        if grades and any(g > 0 for g in grades.values()):
            out[q["id"]] = score(run.get(q["id"], []), grades)
    return out


def mean(values):
    return sum(values) / len(values) if values else 0.0


def randomisation_p(a, b, permutations=PERMUTATIONS, seed=SEED):
    """Two-sided paired randomisation test on the mean difference."""
    diffs = [x - y for x, y in zip(a, b)]
    if not diffs:
        return 1.0
    observed = abs(sum(diffs))
    rng = random.Random(seed)
    at_least = 0
    for _ in range(permutations):
        s = sum(d if rng.random() < 0.5 else -d for d in diffs)
        if abs(s) >= observed - 1e-12:
            at_least += 1
    return (at_least + 1) / (permutations + 1)


def bootstrap_ci(a, b, samples=PERMUTATIONS, seed=SEED):
    diffs = [x - y for x, y in zip(a, b)]
    if not diffs:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(samples))
    return means[int(samples * 0.025)], means[int(samples * 0.975) - 1]


def styles_of(queries):
    order = ["question", "keywords", "research"]
    return order + sorted({q["style"] for q in queries} - set(order))


def print_table(names, per_run, queries):
    style = {q["id"]: q["style"] for q in queries}
    print(f"{'run':<22} {'style':<10} {'n':>4} {'MRR@10':>7} {'nDCG@10':>8} {'R@100':>6} {'judged@10':>9}")
    for name, scores in zip(names, per_run):
        for s in ["all"] + styles_of(queries):
            rows = [r for qid, r in scores.items() if s == "all" or style[qid] == s]
            if not rows:
                continue
            print(f"{name:<22} {s:<10} {len(rows):4d} {mean([r['rr'] for r in rows]):7.4f} "
                  f"{mean([r['ndcg'] for r in rows]):8.4f} {mean([r['r100'] for r in rows]):6.4f} "
                  f"{mean([r['judged10'] for r in rows]):9.3f}")


def print_compare(name_a, name_b, a, b, queries, with_ci=True):
    style = {q["id"]: q["style"] for q in queries}
    common = sorted(set(a) & set(b))
    print(f"\n{name_a} vs {name_b}: paired randomisation test, {PERMUTATIONS} permutations, seed {SEED}"
          + (", bootstrap 95 % interval of the difference" if with_ci else ""))
    print(f"{'style':<10} {'n':>4} {'metric':<8} {'A':>7} {'B':>7} {'A-B':>8} {'p':>7}" + ("  95 % CI" if with_ci else ""))
    for s in ["all"] + styles_of(queries):
        ids = [qid for qid in common if s == "all" or style[qid] == s]
        if not ids:
            continue
        for m in METRICS:
            va, vb = [a[qid][m] for qid in ids], [b[qid][m] for qid in ids]
            line = (f"{s:<10} {len(ids):4d} {LABELS[m]:<8} {mean(va):7.4f} {mean(vb):7.4f} "
                    f"{mean(va) - mean(vb):+8.4f} {randomisation_p(va, vb):7.4f}")
            if with_ci:
                lo, hi = bootstrap_ci(va, vb)
                line += f"  [{lo:+.4f}, {hi:+.4f}]"
            print(line)


def run_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="*", help="run files to score")
    ap.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"), help="paired significance test A vs B")
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.json"))
    ap.add_argument("--judgments", default=os.path.join(HERE, "judgments"))
    ap.add_argument("--families", default=os.path.join(HERE, "families.tsv"))
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per query")
    ap.add_argument("--no-ci", action="store_true", help="--compare without the bootstrap interval")
    ap.add_argument("--json", metavar="FILE", help="write the per-query scores as JSON")
    args = ap.parse_args(argv)
    if not args.runs and not args.compare:
        ap.error("give run files, or --compare RUN_A RUN_B")

    queries = load_queries(args.queries)
    families = load_families(args.families)
    judgments = load_judgments(args.judgments, families)
    judged = [q for q in queries if q["id"] in judgments]
    with_relevant = [q for q in judged if any(g > 0 for g in judgments[q["id"]].values())]
    print(f"hard collection: {len(queries)} queries, {len(judged)} judged, {len(with_relevant)} with a relevant "
          f"document ({sum(len(judgments[q['id']]) for q in judged)} judgments)")

    paths = list(args.runs) + [p for p in (args.compare or []) if p not in args.runs]
    scores = {p: evaluate(load_run(p, families), judgments, queries) for p in paths}
    if args.runs:
        print_table([run_name(p) for p in args.runs], [scores[p] for p in args.runs], queries)
    if args.verbose:
        for p in args.runs:
            print(f"\n{run_name(p)}\n{'id':<5} {'style':<9} {'RR':>5} {'nDCG':>6} {'R@100':>6}  query")
            for q in with_relevant:
                r = scores[p][q["id"]]
                print(f"{q['id']:<5} {q['style']:<9} {r['rr']:5.2f} {r['ndcg']:6.3f} {r['r100']:6.3f}  {q['text']}")
    if args.compare:
        a, b = args.compare
        print_compare(run_name(a), run_name(b), scores[a], scores[b], queries, not args.no_ci)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({run_name(p): scores[p] for p in paths}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
