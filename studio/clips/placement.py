"""Where a product's cut-out goes in the frame. Pure: sizes in, a box out (no pixels).

The product is the point of the clip, so its cut-out is large: in a 9:16 frame its box is
`height_share` of the frame height (0.5 by default; never less than the room the texts leave),
starting just under the title and running down behind the price, as sale clips on TikTok do;
only a product wider than tall is limited by the frame's width instead.
"""

from __future__ import annotations

from overlays.zones import Box

WIDTH_SHARE = {"tall": 0.92, "square": 0.8, "wide": 0.6}
HEIGHT_SCALE = {"tall": 1.0, "square": 0.9, "wide": 1.1}  # of `height_share`, per frame shape


def _shape(frame: tuple[int, int]) -> str:
    width, height = frame
    if height > width * 1.1:
        return "tall"
    return "wide" if width > height * 1.1 else "square"


def place_product(
    extent: tuple[int, int], room: Box | None, frame: tuple[int, int], *, height_share: float
) -> Box:
    """Return the frame box the product's cut-out (its ink, `extent` px) is drawn in.

    Args:
        extent: width and height of the product's ink (the cut-out's alpha box).
        room: the space between the top and bottom texts, or None when they leave too little.
        frame: frame width and height.
        height_share: the box's target height as a share of a tall frame's height (90 % of
            it in a square frame, 110 % in a wide one, where the texts take less height).
    """
    frame_w, frame_h = frame
    ink_w, ink_h = max(1, extent[0]), max(1, extent[1])
    shape = _shape(frame)
    target_h = height_share * HEIGHT_SCALE[shape] * frame_h
    top = room.y if room is not None else round(frame_h * 0.22)
    room_h = room.height if room is not None else round(frame_h * 0.5)
    box_h = min(max(room_h, target_h), frame_h * 0.8)
    box_w = frame_w * WIDTH_SHARE[shape]
    scale = min(box_w / ink_w, box_h / ink_h)
    width, height = max(1, round(ink_w * scale)), max(1, round(ink_h * scale))
    centre_y = top + (room_h if height <= room_h else height) / 2
    y = round(min(max(0.0, centre_y - height / 2), frame_h - height))
    x = round((frame_w - width) / 2)
    return Box(x, y, width, height)
