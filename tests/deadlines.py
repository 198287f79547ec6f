"""Deadlines the tests wait on: how long a condition may take on a busy 2-core machine.

A test waits for a condition and goes on the moment it holds, so a generous deadline costs nothing
when things work and only bounds how long a real failure takes to report. A server process that
imports the whole toolkit took 20 s to answer its first request on a machine running other test
suites (the start-up deadline of 30 s failed there); one that exits is reported at once.
"""

from __future__ import annotations

SERVER_START_S = 120.0  # a server process or thread answers its first request
EVENT_SPREAD_S = 30.0  # an event crosses to another process (Redis) or client
