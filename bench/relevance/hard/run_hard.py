#!/usr/bin/env python3
"""The hard collection's part of bench/relevance/run: runs Vigie (with the
run's --config and --set) on the 153 queries, scores it beside the saved
peer runs (runs/lucene.tsv, runs/xapian.tsv) and prints the paired test of
Vigie against Lucene. Takes bench/relevance/run's arguments and ignores the
ones only the old collection uses.

  run_hard.py --bin-dir build/release [--config F] [--set K=V ...] [--verbose] [--save-run FILE]
"""

import argparse
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
import evaluate_hard  # noqa: E402
import rankers  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--config", default=os.path.join(REPO, "config", "vigie.json"))
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--save-run", metavar="FILE", help="keep Vigie's run file (for --compare later)")
    ap.add_argument("--all-words", action="store_true",
                    help="Vigie as the web page answers by default (rankers.py --all-words)")
    args, _ = ap.parse_known_args()

    out = tempfile.mkdtemp(prefix="vigie-hard-run-")
    try:
        argv = ["--out", out, "--rankers", "vigie", "--bin-dir", args.bin_dir, "--config", args.config]
        for assignment in args.set:
            argv += ["--set", assignment]
        if args.all_words:
            argv.append("--all-words")
        rankers.main(argv)
        vigie = os.path.join(out, "vigie.tsv")
        if args.save_run:
            shutil.copyfile(vigie, args.save_run)
        runs = [vigie] + [os.path.join(HERE, "runs", n + ".tsv") for n in ("lucene", "xapian")]
        print()
        evaluate_hard.main(runs + ["--compare", vigie, runs[1], "--no-ci"] + (["--verbose"] if args.verbose else []))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
