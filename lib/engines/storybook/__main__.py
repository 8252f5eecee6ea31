"""``python -m lib.engines.storybook "PROMPT" --seed N --out FILE.png``: one picture and its plan."""

from __future__ import annotations

import argparse
import json
import sys

from lib.engines.storybook import parse_size, render_prompt, to_png


def main(argv: list[str] | None = None) -> int:
    """Render one picture, write it, print the scene plan as JSON (with drawn and not_drawn)."""
    parser = argparse.ArgumentParser(prog="python -m lib.engines.storybook", description=__doc__)
    parser.add_argument("prompt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--temperature", type=float, default=0.0)
    parser.add_argument("--size", default="512x512")
    parser.add_argument("--out", default="storybook.png")
    args = parser.parse_args(argv)
    width, height = parse_size(args.size)
    image, plan = render_prompt(args.prompt, width=width, height=height, seed=args.seed, temperature=args.temperature)
    with open(args.out, "wb") as handle:
        handle.write(to_png(image, {"prompt": args.prompt, "seed": args.seed, "temperature": args.temperature,
                                    "index": 0, "operation": "generate"}))  # fmt: skip
    summary = {"prompt": args.prompt, "seed": args.seed, "size": f"{width}x{height}", "out": args.out,
               **plan.summary()}  # fmt: skip
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
