"""Packing slips: A6 labels and A5 slips as printable HTML, and PDF through headless Chromium."""

from server.slips.pdf import html_to_pdf
from server.slips.render import PAPER_SIZES, SlipItem, SlipOrder, render_slips

__all__ = ["PAPER_SIZES", "SlipItem", "SlipOrder", "html_to_pdf", "render_slips"]
