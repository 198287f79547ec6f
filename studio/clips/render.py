"""Frames out: static layers drawn once, then per frame one warp and a few small blends.

Per scene, the photo is drawn once on a *plate* (blurred backdrop, product, shade) and every
overlay (title, prices, badge, countdown, call to action) once as an RGBA layer, stored
premultiplied. A frame is then `cv2.warpAffine` of the plate (the Ken Burns move) plus uint8
blends of the overlays over their own small rectangles: no Pillow and no text work per frame.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pillow_heif
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from overlays.layers import parse_color
from overlays.zones import Box
from studio.clips.layout import SceneLayout
from studio.clips.motion import Entrance, entrance, ken_burns, plate_size, rise_px
from studio.clips.resolve import SceneContent
from studio.clips.spec import Theme
from studio.clips.sprite import Sprite
from studio.clips.timeline import Timeline
from studio.errors import PhotoUnreadable
from studio.images import open_image

logger = logging.getLogger(__name__)

_BLUR_SCALE = 16  # the backdrop is blurred at 1/16 size: cheap, and a large blur radius
_MAX_PHOTO_PX = 4096
PRICE_KINDS = frozenset({"price", "old_price", "badge"})  # they come in as the template says


@functools.cache
def _enable_heif() -> None:
    """Let Pillow open HEIC photos straight from phones (once, when the first photo is read)."""
    pillow_heif.register_heif_opener()


def read_photo(path: Path) -> np.ndarray:
    """Decode a photo, EXIF-rotated, at most 4096 px on its long side.

    Returns:
        H x W x 3 uint8 RGB, or H x W x 4 RGBA when the photo has transparency (a product cut
        out by `livestall photos`), so the product can stand on the clip's own backdrop.

    Raises:
        PhotoUnreadable: when the file is not an image we can decode.
        PhotoTooLarge: over 80 MP, or a decompression bomb.
    """
    _enable_heif()
    try:
        with open_image(path, name=str(path)) as image:
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((_MAX_PHOTO_PX, _MAX_PHOTO_PX))
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                rgba = np.asarray(upright.convert("RGBA"), dtype=np.uint8)
                if rgba[:, :, 3].min() < 255:
                    return rgba.copy()
            return np.asarray(upright.convert("RGB"), dtype=np.uint8).copy()
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoUnreadable(
            f"{path}: cannot decode this photo ({exc.__class__.__name__})",
            hint="export it as JPEG or PNG",
        ) from None


def build_plate(
    photo: np.ndarray,
    frame: tuple[int, int],
    *,
    amount: float,
    theme: Theme,
    photo_box: Box | None = None,
    product_at: Box | None = None,
) -> np.ndarray:
    """Draw a scene's still background once: backdrop, product photo and a reading shade.

    A cut-out (RGBA) stands on the template's backdrop with a soft shadow, its ink filling
    `product_at` (frame pixels, from `placement.place_product`). A photo as shot close to the
    frame's shape fills it; any other is shown whole as a rounded card over a blurred, darkened
    copy of itself (or a flat colour), inside `photo_box` (the room the overlays leave) or,
    without one, in the middle of the frame.
    """
    frame_w, frame_h = frame
    plate_w, plate_h = plate_size(frame_w, frame_h, amount)
    is_cutout = photo.shape[2] == 4
    if is_cutout:
        photo = crop_to_ink(photo)
    photo_h, photo_w = photo.shape[:2]
    ratio = (photo_w / photo_h) / (plate_w / plate_h)
    if not is_cutout and 0.8 <= ratio <= 1.25:
        return _shade(_cover(photo, plate_w, plate_h), theme.shade)
    red, green, blue, _ = parse_color(theme.background_color)
    flat = _on_colour(photo, (red, green, blue)) if is_cutout else photo
    plate = _backdrop(flat, plate_w, plate_h, theme)
    box_w: float
    box_h: float
    if is_cutout and product_at is not None:
        box_w, box_h = product_at.width, product_at.height
        centre_x, centre_y = product_at.x + box_w / 2, product_at.y + box_h / 2
    elif photo_box is None:
        is_tall = frame_h > frame_w
        box_w, box_h = frame_w * (0.92 if is_tall else 0.62), frame_h * (0.5 if is_tall else 0.78)
        centre_x, centre_y = frame_w / 2, frame_h * 0.47
    else:
        box_w, box_h = photo_box.width, photo_box.height
        centre_x, centre_y = photo_box.x + box_w / 2, photo_box.y + box_h / 2
    scale = min(box_w / photo_w, box_h / photo_h)
    fit_w, fit_h = max(1, round(photo_w * scale)), max(1, round(photo_h * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    fitted = cv2.resize(photo, (fit_w, fit_h), interpolation=interpolation)
    # Fully zoomed in, the plate shows 1:1 about its centre: a photo placed here at the box's
    # size and offset from the centre fills the box then, and is smaller before, never larger.
    x = round(plate_w / 2 + (centre_x - frame_w / 2) - fit_w / 2)
    y = round(plate_h / 2 + (centre_y - frame_h / 2) - fit_h / 2)
    x, y = min(max(0, x), plate_w - fit_w), min(max(0, y), plate_h - fit_h)
    radius = max(2, round(min(frame_w, frame_h) * 0.025))
    if is_cutout:
        mask = np.clip(fitted[:, :, 3].astype(np.float32) / 255.0, 0.0, 1.0)
    else:
        mask = _rounded_mask(fit_w, fit_h, radius)
    _paste(plate, fitted[:, :, :3], mask, x, y, blur_px=radius)
    return _shade(plate, theme.shade)


def crop_to_ink(rgba: np.ndarray) -> np.ndarray:
    """Return a cut-out cropped to its visible pixels (alpha above 8), or as it is if empty."""
    alpha = rgba[:, :, 3] > 8
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return rgba
    return np.ascontiguousarray(rgba[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])


def ink_extent(photo: np.ndarray) -> tuple[int, int]:
    """Width and height of a photo's product: a cut-out's visible pixels, else the photo."""
    if photo.shape[2] == 4:
        photo = crop_to_ink(photo)
    return photo.shape[1], photo.shape[0]


def _on_colour(rgba: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255.0
    mixed: np.ndarray = rgba[:, :, :3] * alpha + np.array(colour, np.float32) * (1.0 - alpha)
    return np.asarray(mixed + 0.5, dtype=np.float32).astype(np.uint8)


def _rounded_mask(width: int, height: int, radius_px: int) -> np.ndarray:
    image = Image.new("L", (width, height), 0)
    ImageDraw.Draw(image).rounded_rectangle(
        (0, 0, width - 1, height - 1), radius=radius_px, fill=255
    )
    return np.asarray(image, np.float32) / 255.0


def _paste(
    plate: np.ndarray, rgb: np.ndarray, mask: np.ndarray, x: int, y: int, *, blur_px: int
) -> None:
    """Blend a photo through its mask (rounded card, or a cut-out's alpha) with a soft shadow."""
    height, width = rgb.shape[:2]
    pad, drop = blur_px * 2, blur_px // 2  # room for the blur; the shadow falls a little
    shadow = np.zeros((height + 2 * pad + drop, width + 2 * pad), np.float32)
    shadow[pad + drop : pad + drop + height, pad : pad + width] = mask
    shadow = cv2.GaussianBlur(shadow, (0, 0), sigmaX=pad / 2)
    top, left = y - pad, x - pad
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(plate.shape[0], top + shadow.shape[0]), min(plate.shape[1], left + shadow.shape[1])
    dim = 1.0 - 0.5 * shadow[y0 - top : y1 - top, x0 - left : x1 - left, None]
    plate[y0:y1, x0:x1] = (plate[y0:y1, x0:x1] * dim).astype(np.uint8)
    region = plate[y : y + height, x : x + width].astype(np.float32)
    alpha = mask[:, :, None]
    blended = rgb * alpha + region * (1.0 - alpha) + 0.5
    plate[y : y + height, x : x + width] = blended.astype(np.uint8)


def _cover(photo: np.ndarray, width: int, height: int) -> np.ndarray:
    photo_h, photo_w = photo.shape[:2]
    scale = max(width / photo_w, height / photo_h)
    resized = cv2.resize(
        photo,
        (max(width, round(photo_w * scale)), max(height, round(photo_h * scale))),
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC,
    )
    top = (resized.shape[0] - height) // 2
    left = (resized.shape[1] - width) // 2
    return np.ascontiguousarray(resized[top : top + height, left : left + width])


def _backdrop(photo: np.ndarray, width: int, height: int, theme: Theme) -> np.ndarray:
    if theme.background == "color":
        red, green, blue, _ = parse_color(theme.background_color)
        return np.full((height, width, 3), (red, green, blue), np.uint8)
    small = _cover(photo, max(8, width // _BLUR_SCALE), max(8, height // _BLUR_SCALE))
    blurred = cv2.GaussianBlur(small, (0, 0), sigmaX=3.0)
    big = cv2.resize(blurred, (width, height), interpolation=cv2.INTER_CUBIC)
    return cv2.convertScaleAbs(big, alpha=0.55)


def _shade(plate: np.ndarray, strength: float) -> np.ndarray:
    """Darken the top quarter and bottom third smoothly, where text sits."""
    if strength <= 0:
        return plate
    height = plate.shape[0]
    rows = np.linspace(0.0, 1.0, height)
    top = np.clip(1.0 - rows / 0.28, 0.0, 1.0)
    bottom = np.clip((rows - 0.62) / 0.38, 0.0, 1.0)
    factor = 1.0 - strength * np.maximum(top, bottom) ** 1.5
    scaled = plate.astype(np.float32) * factor[:, None, None].astype(np.float32)
    return np.clip(scaled + 0.5, 0, 255).astype(np.uint8)


def blend(frame: np.ndarray, sprite: Sprite, opacity: float, *, dy: int = 0) -> None:
    """Blend a sprite over `frame` in place (uint8 maths over the sprite's rectangle only)."""
    box = sprite.box
    _blend_arrays(frame, sprite.premult, sprite.alpha, sprite.inverse, box.x, box.y + dy, opacity)


def blend_entering(frame: np.ndarray, sprite: Sprite, move: Entrance) -> None:
    """Blend a sprite that is coming in: scaled about its centre, slid, or partly revealed."""
    box = sprite.box
    premult, alpha, inverse = sprite.premult, sprite.alpha, sprite.inverse
    x, y = box.x + round(move.dx_share * box.width), box.y + move.dy_px
    if abs(move.scale - 1.0) > 0.01:
        width = max(1, round(box.width * move.scale))
        height = max(1, round(box.height * move.scale))
        premult = cv2.resize(premult, (width, height), interpolation=cv2.INTER_LINEAR)
        alpha = cv2.resize(alpha, (width, height), interpolation=cv2.INTER_LINEAR)
        inverse = 255 - alpha
        x, y = x + (box.width - width) // 2, y + (box.height - height) // 2
    if move.reveal < 0.999:
        shown = round(premult.shape[1] * move.reveal)
        if shown <= 0:
            return
        premult, alpha, inverse = premult[:, :shown], alpha[:, :shown], inverse[:, :shown]
    _blend_arrays(frame, premult, alpha, inverse, x, y, move.opacity)


def _blend_arrays(
    frame: np.ndarray,
    premult: np.ndarray,
    alpha: np.ndarray,
    inverse: np.ndarray,
    left: int,
    top: int,
    opacity: float,
) -> None:
    frame_h, frame_w = frame.shape[:2]
    height, width = premult.shape[:2]
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(frame_h, top + height), min(frame_w, left + width)
    if y1 <= y0 or x1 <= x0 or opacity <= 0.0:
        return
    sy, sx = y0 - top, x0 - left
    window = (slice(sy, sy + y1 - y0), slice(sx, sx + x1 - x0))
    roi = frame[y0:y1, x0:x1]
    if opacity >= 0.999:
        premult, inverse = premult[window], inverse[window]
    else:
        premult = cv2.convertScaleAbs(premult[window], alpha=opacity)
        inverse = cv2.convertScaleAbs(alpha[window], alpha=-opacity, beta=255.0)
    cv2.add(cv2.multiply(roi, inverse, scale=1.0 / 255.0), premult, dst=roi)


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """Everything the frame loop needs: scenes, their layouts, the timeline and the frame size."""

    scenes: tuple[SceneContent, ...]
    layouts: tuple[SceneLayout, ...]
    clip_sprites: tuple[Sprite, ...]
    timeline: Timeline
    frame: tuple[int, int]
    theme: Theme
    product_boxes: tuple[Box | None, ...] = ()  # per scene: where a cut-out's ink goes
    logo_file: Path | None = None


class FrameSource:
    """Produces the frames of a plan in order, reusing one buffer (copy a frame to keep it).

    Plates are built when a scene is first needed and dropped once it is over, so memory stays
    at two plates whatever the number of scenes.
    """

    def __init__(self, plan: RenderPlan) -> None:
        self._plan = plan
        width, height = plan.frame
        self._buffer = np.zeros((height, width, 3), np.uint8)
        self._other = np.zeros((height, width, 3), np.uint8)
        self._plates: dict[int, np.ndarray] = {}

    def _plate(self, scene: int) -> np.ndarray:
        if scene not in self._plates:
            content = self._plan.scenes[scene]
            amount = 0.0 if content.motion.kind == "still" else content.motion.amount
            self._plates[scene] = build_plate(
                read_photo(content.photo),
                self._plan.frame,
                amount=amount,
                theme=self._plan.theme,
                photo_box=self._plan.layouts[scene].photo_box,
                product_at=self._plan.product_boxes[scene] if self._plan.product_boxes else None,
            )
            for old in [k for k in self._plates if k < scene - 1]:
                del self._plates[old]
        return self._plates[scene]

    def _warp(
        self,
        scene: int,
        progress: float,
        out: np.ndarray,
        *,
        shift_px: float = 0.0,
        is_overlay: bool = False,
    ) -> None:
        plate = self._plate(scene)
        motion = self._plan.scenes[scene].motion
        amount = 0.0 if motion.kind == "still" else motion.amount
        affine = ken_burns(
            motion.kind,
            amount,
            progress,
            plate=(plate.shape[1], plate.shape[0]),
            frame=self._plan.frame,
        )
        matrix = np.array(affine.rows(), np.float64)
        matrix[0, 2] += shift_px
        border = cv2.BORDER_TRANSPARENT if is_overlay else cv2.BORDER_REPLICATE
        cv2.warpAffine(
            plate, matrix, self._plan.frame, dst=out, flags=cv2.INTER_LINEAR, borderMode=border
        )

    def frames(self) -> Iterator[np.ndarray]:
        """Yield every frame (H x W x 3 RGB uint8); the same array is reused for each."""
        for index in range(self._plan.timeline.frame_count):
            yield self.frame(index)

    def frame(self, index: int) -> np.ndarray:
        """Draw frame `index` into the shared buffer and return it."""
        plan = self._plan
        step = plan.timeline.frame(index)
        out = self._buffer
        if step.next_scene is None or step.mix <= 0.0:
            self._warp(step.scene, step.progress, out)
        elif plan.timeline.transition == "slide":
            width = plan.frame[0]
            self._warp(step.scene, step.progress, out, shift_px=-step.mix * width)
            self._warp(
                step.next_scene,
                step.next_progress,
                out,
                shift_px=(1.0 - step.mix) * width,
                is_overlay=True,
            )
        else:
            self._warp(step.scene, step.progress, out)
            self._warp(step.next_scene, step.next_progress, self._other)
            cv2.addWeighted(out, 1.0 - step.mix, self._other, step.mix, 0.0, dst=out)
        for sprite in plan.clip_sprites:
            if sprite.start_s <= step.t < sprite.end_s:
                blend(out, sprite, 1.0)
        for scene in {step.scene, step.next_scene} - {None}:
            assert scene is not None
            for sprite in plan.layouts[scene].sprites:
                if not sprite.start_s <= step.t < sprite.end_s:
                    continue
                opacity = plan.timeline.element_opacity(scene, sprite.kind, step.t)
                if opacity <= 0.0:
                    continue
                kind = plan.theme.price_entrance if sprite.kind in PRICE_KINDS else "rise"
                if (
                    kind == "rise"
                    or opacity >= 0.999
                    or step.t >= plan.timeline.scenes[scene].out_s
                ):
                    blend(out, sprite, opacity, dy=rise_px(opacity, plan.layouts[scene].rise_px))
                else:
                    move = entrance(kind, opacity, rise_distance_px=plan.layouts[scene].rise_px)
                    blend_entering(out, sprite, move)
        return out
