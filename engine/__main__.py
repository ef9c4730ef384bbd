"""The engine's command line: ``python -m engine list|references|evaluate``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from engine.api import evaluate_text, pathways, references

EXIT_OK, EXIT_FAULT, EXIT_REJECTED = 0, 1, 2


def _print_json(value: Any, out: TextIO) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    with open(source, encoding="utf-8") as handle:
        return handle.read()


def _evaluate(pathway_id: str, source: str, out: TextIO) -> int:
    try:
        text = _read_input(source)
    except (OSError, UnicodeDecodeError) as problem:
        print(f"error: cannot read the input file {source!r}: {problem}", file=sys.stderr)
        return EXIT_REJECTED
    result = evaluate_text(pathway_id, text)
    _print_json(result, out)
    return EXIT_OK if result["ok"] else EXIT_REJECTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="print the pathway descriptors as JSON")
    commands.add_parser("references", help="print the reference registry as JSON")
    run = commands.add_parser("evaluate", help="evaluate a patient's inputs (a JSON object) on a pathway")
    run.add_argument("pathway", help="pathway id (python -m engine list shows them)")
    run.add_argument("--input", required=True, metavar="FILE", help="JSON file with the inputs, or - for stdin")
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns 0 when ok, 2 when the input was rejected, 1 on an internal fault."""
    args = _parser().parse_args(argv)
    out = out or sys.stdout
    try:
        if args.command == "list":
            _print_json(pathways(), out)
            return EXIT_OK
        if args.command == "references":
            _print_json(references(), out)
            return EXIT_OK
        return _evaluate(args.pathway, args.input, out)
    except Exception as fault:  # noqa: BLE001 - any fault here is the engine's, reported as exit 1
        print(f"internal error: {type(fault).__name__}: {fault}", file=sys.stderr)
        return EXIT_FAULT


if __name__ == "__main__":
    sys.exit(main())
