"""lib.imaging: students' files in, engine-ready PNGs and masks out, bad files refused clearly."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lib import imaging
from lib.errors import BadInput


def _png(img: Image.Image, **kw: object) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", **kw)
    return out.getvalue()


def _open(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` but holds (almost) no data: a cheap bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b"")


def _canvas_with_block(canvas: tuple[int, int], box: tuple[int, int, int, int]) -> np.ndarray:
    """An RGBA array like the canvas returns: transparent, one opaque block (x0, y0, x1, y1)."""
    w, h = canvas
    arr = np.zeros((h, w, 4), dtype=np.uint8)
    x0, y0, x1, y1 = box
    arr[y0:y1, x0:x1] = (0, 0, 0, 255)
    return arr


# -- mask scaling ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("image_size", "canvas_size"),
    [
        ((1024, 1024), (640, 640)),  # square, enlarged
        ((1536, 1024), (640, 427)),  # landscape 3:2
        ((1024, 1536), (427, 640)),  # portrait 2:3
        ((3000, 500), (640, 107)),  # a very wide panorama (the A1111 mis-scaling case)
        ((200, 100), (400, 200)),  # canvas bigger than the picture (a hi-DPI screen)
        ((333, 777), (275, 640)),  # odd sizes that do not divide evenly
    ],
)
def test_stroke_in_canvas_bottom_right_lands_in_image_bottom_right(
    image_size: tuple[int, int], canvas_size: tuple[int, int]
) -> None:
    cw, ch = canvas_size
    # The bottom-right tenth of the canvas is painted.
    canvas = _canvas_with_block(canvas_size, (cw * 9 // 10, ch * 9 // 10, cw, ch))
    mask = _open(imaging.mask_from_canvas(canvas, image_size))
    assert mask.mode == "L" and mask.size == image_size
    arr = np.asarray(mask)
    assert set(np.unique(arr)) <= {0, 255}, "the mask must stay binary after scaling"
    w, h = image_size
    assert arr[h - 1, w - 1] == 255 and arr[0, 0] == 0 and arr[h // 2, w // 2] == 0
    ys, xs = np.nonzero(arr)
    # The painted box covers the same share of the picture as of the canvas (within a pixel or two).
    assert xs.min() == pytest.approx(w * 0.9, abs=w * 0.01 + 2)
    assert ys.min() == pytest.approx(h * 0.9, abs=h * 0.01 + 2)
    assert xs.max() == w - 1 and ys.max() == h - 1


def test_mask_from_canvas_reads_alpha_not_colour() -> None:
    # A white stroke on a transparent canvas is painted; the colour does not matter.
    canvas = np.zeros((50, 100, 4), dtype=np.uint8)
    canvas[10:20, 10:20] = (255, 255, 255, 255)
    canvas[30:40, 60:70] = (255, 0, 0, 40)  # anti-aliased edges have small alpha: still painted
    mask = np.asarray(_open(imaging.mask_from_canvas(canvas, (100, 50))))
    assert mask[15, 15] == 255 and mask[35, 65] == 255 and mask[0, 0] == 0
    assert imaging.mask_coverage(imaging.mask_from_canvas(canvas, (100, 50))) == pytest.approx(200 / 5000)


def test_mask_from_canvas_accepts_png_bytes_from_the_component() -> None:
    rgba = Image.new("RGBA", (64, 32), (0, 0, 0, 0))
    rgba.paste((0, 0, 0, 255), (32, 0, 64, 32))
    mask = np.asarray(_open(imaging.mask_from_canvas(_png(rgba), (128, 64))))
    assert mask[:, 64:].min() == 255 and mask[:, :64].max() == 0


def test_coverage_of_empty_and_full_masks() -> None:
    assert imaging.mask_coverage(imaging.mask_from_canvas(np.zeros((10, 10, 4), np.uint8), (30, 30))) == 0.0
    assert imaging.mask_coverage(Image.new("L", (30, 20), imaging.CHANGE)) == 1.0


# -- converters --------------------------------------------------------------------------------
def _half_mask(size: tuple[int, int]) -> bytes:
    img = Image.new("L", size, 0)
    img.paste(255, (0, 0, size[0] // 2, size[1]))
    return _png(img)


def test_openai_mask_is_rgba_same_size_alpha_zero_where_painted() -> None:
    out = _open(imaging.to_openai_mask(_half_mask((300, 200)), (300, 200)))
    assert out.format == "PNG" and out.mode == "RGBA" and out.size == (300, 200)
    alpha = np.asarray(out.getchannel("A"))
    assert alpha[:, :150].max() == 0 and alpha[:, 150:].min() == 255


def test_openai_mask_is_stretched_to_the_picture_size() -> None:
    out = _open(imaging.to_openai_mask(_half_mask((100, 50)), (1000, 500)))
    assert out.size == (1000, 500)
    alpha = np.asarray(out.getchannel("A"))
    assert alpha[250, 10] == 0 and alpha[250, 990] == 255


def test_diffusers_mask_is_white_where_to_change() -> None:
    out = imaging.to_diffusers_mask(_half_mask((64, 64)), (64, 64))
    arr = np.asarray(out)
    assert out.mode == "L" and arr[:, :32].min() == 255 and arr[:, 32:].max() == 0


def test_normalize_mask_reads_rgba_masks_by_alpha_and_keeps_the_convention() -> None:
    rgba = Image.new("RGBA", (40, 40), (255, 255, 255, 0))
    rgba.paste((10, 10, 10, 255), (0, 0, 20, 40))
    arr = np.asarray(_open(imaging.normalize_mask(_png(rgba), (40, 40))))
    assert arr[:, :20].min() == 255 and arr[:, 20:].max() == 0


def test_a_damaged_mask_is_bad_input() -> None:
    with pytest.raises(BadInput, match="mask"):
        imaging.normalize_mask(b"not a png", (10, 10))


def test_mask_preview_tints_only_the_masked_area() -> None:
    image = _png(Image.new("RGB", (40, 20), (0, 0, 255)))
    preview = np.asarray(_open(imaging.mask_preview(image, _half_mask((40, 20)))).convert("RGB"))
    assert tuple(preview[10, 30]) == (0, 0, 255)
    assert tuple(preview[10, 5]) != (0, 0, 255)


def test_display_size_keeps_aspect_and_never_enlarges() -> None:
    assert imaging.display_size((1536, 1024), 640, 640) == (640, 427)
    assert imaging.display_size((1024, 1536), 640, 640) == (427, 640)
    assert imaging.display_size((300, 200), 640, 640) == (300, 200)


# -- good inputs, normalised ---------------------------------------------------------------------
def test_plain_png_passes_through_with_its_size() -> None:
    loaded = imaging.load_image(_png(Image.new("RGB", (300, 200), (1, 2, 3))))
    img = _open(loaded.png)
    assert loaded.size == (300, 200) == img.size and img.mode == "RGB" and loaded.notes == ()


def test_cmyk_jpeg_becomes_rgb() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (64, 64), (0, 255, 255, 0)).save(out, format="JPEG", quality=95)  # red in CMYK
    img = _open(imaging.load_image(out.getvalue()).png)
    assert img.mode == "RGB"
    r, g, b = img.getpixel((32, 32))  # type: ignore[misc]
    assert r > 200 and g < 60 and b < 60


def test_16_bit_png_is_scaled_not_clipped() -> None:
    grey = Image.new("I;16", (64, 64), 32768)  # half brightness in 16 bits
    img = _open(imaging.load_image(_png(grey)).png)
    assert img.mode == "RGB"
    assert img.getpixel((5, 5)) == (128, 128, 128)


def test_palette_png_with_transparency_keeps_it() -> None:
    pal = Image.new("P", (32, 32), 0)
    pal.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    pal.paste(1, (16, 0, 32, 32))
    data = _png(pal, transparency=0)
    img = _open(imaging.load_image(data).png)
    assert img.mode == "RGBA"
    assert img.getpixel((4, 4))[3] == 0  # type: ignore[index]
    assert img.getpixel((20, 4)) == (0, 255, 0, 255)


def test_la_and_one_bit_pictures_are_converted() -> None:
    la = Image.new("LA", (32, 32), (200, 100))
    assert _open(imaging.load_image(_png(la)).png).mode == "RGBA"
    assert _open(imaging.load_image(_png(Image.new("1", (32, 32), 1))).png).mode == "RGB"


def test_exif_rotated_jpeg_is_turned_upright() -> None:
    img = Image.new("RGB", (80, 40), (255, 0, 0))
    img.paste((0, 0, 255), (40, 0, 80, 40))  # left red, right blue
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, quality=95)
    loaded = imaging.load_image(out.getvalue())
    upright = _open(loaded.png)
    assert loaded.size == (40, 80) == upright.size
    top, bottom = upright.getpixel((20, 10)), upright.getpixel((20, 70))
    assert top[0] > 200 and top[2] < 60, "the left (red) half ends on top after turning clockwise"  # type: ignore[index]
    assert bottom[2] > 200 and bottom[0] < 60  # type: ignore[index]
    assert any("right way up" in note for note in loaded.notes)


def test_animated_gif_uses_the_first_frame_and_says_so() -> None:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    loaded = imaging.load_image(out.getvalue())
    assert _open(loaded.png).convert("RGB").getpixel((5, 5)) == (255, 0, 0)
    assert any("moving picture with 3 frames" in note for note in loaded.notes)


def test_dalle2_rules_keep_the_middle_square() -> None:
    img = Image.new("RGB", (300, 100), (0, 0, 0))
    img.paste((255, 255, 255), (100, 0, 200, 100))
    loaded = imaging.load_image(_png(img), imaging.rules_for("openai", "dall-e-2"))
    square = _open(loaded.png)
    assert loaded.size == (100, 100) and square.getpixel((50, 50)) == (255, 255, 255)
    assert any("square" in note for note in loaded.notes)


def test_big_picture_is_made_smaller_not_refused() -> None:
    loaded = imaging.load_image(_png(Image.new("RGB", (3000, 2000), (9, 9, 9))), imaging.ImageRules(max_pixels=600_000))
    w, h = loaded.size
    assert w * h <= 600_000 and abs(w / h - 1.5) < 0.01
    assert any("3000 x 2000" in note for note in loaded.notes)


def test_byte_limit_shrinks_until_the_png_fits() -> None:
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 256, (400, 400, 3), dtype=np.uint8))
    data = _png(noise)  # ~480 kB: noise barely compresses
    loaded = imaging.load_image(data, imaging.ImageRules(max_bytes=100_000))
    assert len(loaded.png) <= 100_000 and loaded.size[0] < 400
    assert loaded.size[0] == loaded.size[1]


@pytest.fixture(scope="session")
def photo_40mb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A ~40 MB JPEG of noise (noise is the worst case for JPEG size), written once per session."""
    path: Path = tmp_path_factory.mktemp("photo") / "big.jpg"
    noise = np.random.default_rng(7).integers(0, 256, (2700, 3600, 3), dtype=np.uint8)
    Image.fromarray(noise).save(path, format="JPEG", quality=100, subsampling=0)
    return path.read_bytes()


def test_40mb_photo_is_shrunk_to_the_model_limits(photo_40mb: bytes) -> None:
    assert 30_000_000 < len(photo_40mb) <= imaging.MAX_INPUT_BYTES
    rules = imaging.rules_for("openai", "gpt-image-2")
    loaded = imaging.load_image(photo_40mb, rules)
    w, h = loaded.size
    assert w * h <= rules.max_pixels and len(loaded.png) <= rules.max_bytes
    assert abs(w / h - 3600 / 2700) < 0.01
    assert any("made smaller" in note for note in loaded.notes)


# -- bad inputs, each a clear BadInput ------------------------------------------------------------
def test_text_file_renamed_png_is_refused_clearly() -> None:
    with pytest.raises(BadInput, match="not a picture the studio can read") as info:
        imaging.load_image(b"Dear diary, today I renamed a text file to cat.png\n")
    assert "PNG, JPEG" in str(info.value)


def test_empty_file_is_refused_clearly() -> None:
    with pytest.raises(BadInput, match=r"empty \(0 bytes\)"):
        imaging.load_image(b"")


def test_truncated_png_is_refused_clearly() -> None:
    noise = Image.fromarray(np.random.default_rng(2).integers(0, 256, (200, 200, 3), dtype=np.uint8))
    data = _png(noise)
    with pytest.raises(BadInput, match="damaged or cut short"):
        imaging.load_image(data[: len(data) // 2])


def test_decompression_bomb_20000_square_is_refused_without_decoding() -> None:
    with pytest.raises(BadInput, match="far too big"):
        imaging.load_image(_png_header_only(20000, 20000))


def test_picture_between_our_limit_and_pillows_is_refused_by_size() -> None:
    # 9000 x 9000 = 81 Mpx: under Pillow's warning threshold, over the studio's own limit.
    with pytest.raises(BadInput, match="9000 x 9000 pixels"):
        imaging.load_image(_png_header_only(9000, 9000))


def test_file_over_the_upload_limit_is_refused() -> None:
    with pytest.raises(BadInput, match="files up to 50.0 MB"):
        imaging.load_image(b"\x89PNG" + bytes(imaging.MAX_INPUT_BYTES))


def test_tiny_picture_is_refused() -> None:
    with pytest.raises(BadInput, match="only 4 x 4 pixels"):
        imaging.load_image(_png(Image.new("RGB", (4, 4))))


def test_unsupported_format_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (32, 32)).save(out, format="PCX")
    with pytest.raises(BadInput, match="not a picture the studio can read"):
        imaging.load_image(out.getvalue())


def test_pillow_bomb_warning_range_becomes_bad_input_not_a_warning() -> None:
    # 10000 x 10000 = 100 Mpx: Pillow warns (pytest would fail on it); the studio decides instead.
    with pytest.raises(BadInput, match="far too big"):
        imaging.load_image(_png_header_only(10000, 10000))


def test_a_turned_photo_is_not_said_to_be_made_smaller() -> None:
    photo = Image.new("RGB", (60, 40), (10, 120, 200))
    exif = photo.getexif()
    exif[0x0112] = 6  # the camera says: turn 90 degrees to show it
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", exif=exif)
    loaded = imaging.load_image(buffer.getvalue())
    assert loaded.size == (40, 60)
    assert any("right way up" in note for note in loaded.notes)
    assert not any("smaller" in note for note in loaded.notes)
