"""Picture styles ("as a pencil sketch", "as a mosaic"): a cheap filter over the finished collage.

Every filter is a few Pillow operations at most, so a style costs a few milliseconds.
"""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

#: Style name -> words that choose it (matched as phrases, longest first, by the planner).
STYLE_WORDS: dict[str, str] = {
    "storybook": "children's book illustration|childrens book illustration|picture book|storybook|illustration|"
    "children's book",
    "watercolour": "watercolour|watercolor|watercolour painting|watercolor painting|oil painting",
    "cartoon": "cartoon|colourful cartoon|colorful cartoon|comic|anime",
    "photo": "photograph|photo|photography|realistic|photorealistic",
    "sketch": "pencil sketch|sketch|pencil drawing|charcoal|black and white",
    "mosaic": "mosaic|pixel art|pixels|lego",
}


def apply(image: Image.Image, style: str) -> Image.Image:
    """``image`` in ``style``; unknown styles and the plain ones return it unchanged."""
    if style == "sketch":
        grey = ImageOps.grayscale(image)
        # Pencil lines where the picture has edges (made darker), over a light wash of its shading.
        lines = grey.filter(ImageFilter.FIND_EDGES).point(lambda v: max(0, 255 - v * 3))
        soft = ImageOps.autocontrast(grey, cutoff=2).point(lambda v: 135 + v * 120 // 255)
        return ImageChops.multiply(soft, lines).convert("RGB")
    if style == "mosaic":
        width, height = image.size
        cell = max(4, min(width, height) // 48)
        small = image.resize((max(1, width // cell), max(1, height // cell)), Image.Resampling.BOX)
        out = small.resize((width, height), Image.Resampling.NEAREST)
        # Grout lines between the tiles.
        draw = ImageDraw.Draw(out)
        for k in range(1, small.width):
            x = k * width // small.width - 1
            draw.line((x, 0, x, height), fill=(235, 230, 220))
        for k in range(1, small.height):
            y = k * height // small.height - 1
            draw.line((0, y, width, y), fill=(235, 230, 220))
        return out
    if style == "watercolour":
        soft = image.filter(ImageFilter.SMOOTH_MORE).filter(ImageFilter.SMOOTH_MORE)
        light = Image.blend(soft, Image.new("RGB", image.size, (250, 246, 236)), 0.22)
        return ImageEnhance.Color(light).enhance(1.15)
    if style == "cartoon":
        return ImageEnhance.Color(ImageOps.posterize(image, 4)).enhance(1.35)
    return image
