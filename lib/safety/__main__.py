"""``python -m lib.safety --check FILE``: one verdict a line for one prompt a line.

Prints ``allowed`` or ``blocked<TAB>stage<TAB>reason``, with the default teacher's rules and the
local screen only (no network). ``-`` reads standard input. Blank lines get a blank verdict line
so that the output lines up with the input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lib.rules import TeacherRules
from lib.safety.intent import shared_model
from lib.safety.screen import PromptScreen


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 even when prompts are blocked)."""
    parser = argparse.ArgumentParser(prog="python -m lib.safety", description=__doc__.splitlines()[0])
    parser.add_argument("--check", metavar="FILE", required=True, help="one prompt a line ('-' for stdin)")
    args = parser.parse_args(argv)
    rules = TeacherRules()
    screen = PromptScreen(rules.disallow, word_list=rules.word_list, intent=shared_model())
    try:
        handle = sys.stdin if args.check == "-" else open(args.check, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        print(f"cannot read {args.check}: {error.strerror}", file=sys.stderr)
        return 2
    with handle:
        for line in handle:
            prompt = line.rstrip("\n")
            if not prompt.strip():
                print()
                continue
            verdict = screen.check(prompt)
            if verdict.allowed:
                print("allowed")
            else:
                print(f"blocked\tprompt screen\t{verdict.category}: {verdict.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
