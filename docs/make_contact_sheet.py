"""Make ``docs/storybook-contact-sheet.png``: the lesson's two prompts, 20 monument prompts, every
room, every context of the monuments assignment (each with another monument, time and style), and
prompts in other languages (labelled in English where the label font lacks the script).

Run from the repository root: ``python docs/make_contact_sheet.py [--seed N] [--out FILE]``.
Each tile is labelled with its prompt, so anyone can check that every thing named is drawn.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import assignment  # noqa: E402
from lib.engines.storybook import render_prompt  # noqa: E402

PROMPTS = [
    "Dog next to Eiffel Tower in early morning sunlight",
    "Bunny on horse, holding a lollipop, on a foggy meadow where it grows daffodils",
    "A cat in front of the Colosseum at sunset",
    "Statue of Liberty with a seagull and a boat on a sunny day",
    "An elephant next to the Taj Mahal in the morning",
    "Three camels walking past the pyramids in the desert",
    "Big Ben at night with the moon and stars",
    "A panda on the Great Wall of China in the snow",
    "Sydney Opera House with a dolphin in the sea",
    "Stonehenge on a foggy morning with two sheep",
    "A girl holding a pizza next to the Leaning Tower of Pisa",
    "Golden Gate Bridge in the fog with a red car",
    "Mount Fuji with cherry blossoms and a fox",
    "The Parthenon at noon with an owl",
    "Arc de Triomphe in the rain with a blue bicycle",
    "Christ the Redeemer under a rainbow with parrots",
    "Tower Bridge with a red bus at dusk",
    "A gorilla on the Empire State Building in a storm",
    "The Sphinx at sunset with a lion",
    "Burj Khalifa in the desert with a falcon at night",
    "A windmill in a tulip field with a cow",
    "A lighthouse on the beach with a crab and shells",
    "A cat and a chef in the kitchen",
    "Children and a teacher in the classroom",
    "A teddy bear and a lamp in my bedroom",
    "A duck in the bathroom",
    "A dinosaur in the museum",
    "A girl with a basket in the shop",
    "A family eating pizza in a restaurant",
    "A doctor and a nurse in the hospital",
    "A dog with a suitcase at the train station",
    "An owl reading a book in the library",
    *(
        assignment.build_prompt(
            assignment.MONUMENTS[k % len(assignment.MONUMENTS)],
            context,
            assignment.TIMES_OF_DAY[k % len(assignment.TIMES_OF_DAY)],
            assignment.STYLES[k % len(assignment.STYLES)],
        )
        for k, context in enumerate(assignment.CONTEXTS)
    ),
    "un chat sur la tour Eiffel",
    "un perro junto a la Torre Eiffel al amanecer",
    "uma menina com um balão vermelho no parque",
    "ein roter Drache über der Burg in der Nacht",
    "一只熊猫在长城上",
    "एफिल टॉवर के पास एक कुत्ता",
    "قطة حمراء على برج إيفل",
]

#: Labels for prompts in scripts the label font (DejaVu Sans) cannot show.
GLOSSES = {
    "一只熊猫在长城上": "zh: a panda on the Great Wall",
    "एफिल टॉवर के पास एक कुत्ता": "hi: a dog near the Eiffel Tower",
    "قطة حمراء على برج إيفل": "ar: a red cat on the Eiffel Tower",
}

TILE = 320
LABEL = 46


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _wrap(text: str, font: ImageFont.ImageFont | ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if font.getlength(trial) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    return [*lines, line]


def make_sheet(prompts: list[str], seed: int, columns: int = 6) -> Image.Image:
    """Every prompt rendered at TILE px with its prompt written underneath."""
    rows = (len(prompts) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * TILE, rows * (TILE + LABEL)), "white")
    draw = ImageDraw.Draw(sheet)
    font = _font(12)
    for k, prompt in enumerate(prompts):
        image, _ = render_prompt(prompt, width=TILE, height=TILE, seed=seed + k)
        x, y = (k % columns) * TILE, (k // columns) * (TILE + LABEL)
        sheet.paste(image, (x, y))
        for n, line in enumerate(_wrap(GLOSSES.get(prompt, prompt), font, TILE - 12)[:3]):
            draw.text((x + 6, y + TILE + 4 + n * 15), line, fill=(20, 20, 20), font=font)
    return sheet


def main() -> int:
    """Write the contact sheet."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "storybook-contact-sheet.png"))
    parser.add_argument("--only", type=int, nargs="*", help="indexes of prompts to render (for quick looks)")
    args = parser.parse_args()
    prompts = [PROMPTS[i] for i in args.only] if args.only else PROMPTS
    make_sheet(prompts, args.seed).save(args.out, optimize=True)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
