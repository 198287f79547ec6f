"""Tests of the order-comment parser (server/orders: normalize, rules, parse, variants)."""
