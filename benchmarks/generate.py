"""Write a generated field-service day to a JSON problem file.

Usage: python benchmarks/generate.py JOBS TECHNICIANS [--seed N] [--out FILE]
(prints the problem to standard output without --out).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldroute.bench.generate import generate_day


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, generate the day and write it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jobs", type=int)
    parser.add_argument("technicians", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    problem = generate_day(args.jobs, args.technicians, seed=args.seed)
    text = problem.model_dump_json(by_alias=True, exclude_defaults=True, indent=2)
    if args.out is None:
        sys.stdout.write(text + "\n")
    else:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
