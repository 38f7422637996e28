#!/usr/bin/env python3
"""Agreement between two sets of judgments of the hard collection.

  agreement.py judgments/ /tmp/other-judge/     # two folders of qNNN.tsv
  agreement.py judgments/ /tmp/other/ --verbose # + the documents they grade apart

Over the (query, document) pairs both judged: raw agreement on the three
grades, Cohen's kappa on the three grades and on relevant / not relevant
(grade >= 1), and the queries where they disagree most. The collection was
judged by one person; a second judge on part of it says how far its figures
can be trusted (kappa above ~0.6 is the usual bar for TREC-like graded
judgments). Python 3 standard library only.
"""
import argparse
import collections
import os
import sys


def read_dir(path):
    """{query id: {doc id: grade}} from path/qNNN.tsv files."""
    out = {}
    for name in sorted(os.listdir(path)):
        if not name.endswith(".tsv"):
            continue
        grades = {}
        with open(os.path.join(path, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2 or parts[1] not in ("0", "1", "2"):
                    sys.exit(f"agreement: {name}:{n}: expected 'doc id<TAB>0|1|2', got {line!r}")
                grades[parts[0]] = int(parts[1])
        out[name[:-4]] = grades
    return out


def kappa(pairs, labels):
    """Cohen's kappa of a list of (a, b) labels."""
    n = len(pairs)
    if n == 0:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    count_a = collections.Counter(a for a, _ in pairs)
    count_b = collections.Counter(b for _, b in pairs)
    expected = sum(count_a[l] * count_b[l] for l in labels) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir_a")
    ap.add_argument("dir_b")
    ap.add_argument("--verbose", action="store_true", help="list the documents graded apart")
    args = ap.parse_args()
    a, b = read_dir(args.dir_a), read_dir(args.dir_b)
    pairs, per_query, apart = [], {}, []
    for q in sorted(set(a) & set(b)):
        common = sorted(set(a[q]) & set(b[q]))
        qp = [(a[q][d], b[q][d]) for d in common]
        pairs += qp
        if qp:
            per_query[q] = (sum(x == y for x, y in qp), len(qp))
        apart += [(q, d, a[q][d], b[q][d]) for d in common if a[q][d] != b[q][d]]
    if not pairs:
        sys.exit("agreement: no (query, document) judged in both")
    n = len(pairs)
    binary = [(int(x >= 1), int(y >= 1)) for x, y in pairs]
    print(f"{len(per_query)} queries, {n} documents judged by both")
    print(f"  agreement (3 grades)   {sum(x == y for x, y in pairs) / n:.3f}")
    print(f"  kappa (3 grades)       {kappa(pairs, (0, 1, 2)):.3f}")
    print(f"  agreement (rel / not)  {sum(x == y for x, y in binary) / n:.3f}")
    print(f"  kappa (rel / not)      {kappa(binary, (0, 1)):.3f}")
    table = collections.Counter(pairs)
    print("  A \\ B      0     1     2")
    for x in (0, 1, 2):
        print(f"  {x}     " + " ".join(f"{table[(x, y)]:5d}" for y in (0, 1, 2)))
    worst = sorted(per_query.items(), key=lambda kv: kv[1][0] / kv[1][1])[:10]
    print("least agreement: " + ", ".join(f"{q} {same}/{tot}" for q, (same, tot) in worst))
    if args.verbose:
        for q, d, x, y in apart:
            print(f"{q}\t{d}\t{x}\t{y}")


if __name__ == "__main__":
    main()
