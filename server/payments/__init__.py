"""Payments after the live: VietQR per order, bank statement import, matching, buyer messages."""
