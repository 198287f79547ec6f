"""Pairing a phone with the studio: a one-time code shown as a QR, then a cookie per device.

With ``livestall studio --lan`` the server also listens on the LAN. A request whose peer address
is not this computer is served only when it carries a paired device's cookie: the peer address
decides, never a header. Pairing: the seller presses "Dùng trên điện thoại" on the laptop, the
studio shows a QR of ``http://<LAN address>:<port>/studio/pair?code=…``; the phone opens it and
gets a long random, HttpOnly, SameSite=Strict cookie. Codes live `CODE_TTL_S`, work once, and a
peer gets `ATTEMPTS_PER_MINUTE` tries. Devices are kept in ``<studio folder>/devices.json``
(mode 0600; only a hash of each cookie), listed in the studio and revoked there.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from studio.errors import PairingRefused, PairingTooFast

DEVICE_COOKIE = "livestall_device"
DEVICE_MAX_AGE_S = 90 * 24 * 3600
CODE_TTL_S = 300.0
ATTEMPTS_PER_MINUTE = 10  # per peer address, failed or not
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed
CODE_LENGTH = 8  # 32^8 ≈ 10^12 codes against 10 tries a minute for 5 minutes


@dataclass(frozen=True, slots=True)
class PairingCode:
    """A code the laptop shows; it pairs one device before `expires_at`."""

    code: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class Device:
    """A paired phone or tablet (its cookie is known only by hash)."""

    id: str
    name: str
    address: str
    paired_at: float
    token_hash: str


def token_hash(token: str) -> str:
    """The stored form of a device cookie."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class PairingBook:
    """Codes (in memory) and devices (on disk) of one studio.

    Args:
        path: the devices file.
        clock: seconds (tests move it).
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, float] = {}
        self._attempts: dict[str, list[float]] = {}
        self._devices = self._load()

    def new_code(self) -> PairingCode:
        """A fresh one-time code (earlier unused codes stay valid until they expire)."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        expires_at = self.clock() + CODE_TTL_S
        with self._lock:
            self._drop_expired()
            self._codes[code] = expires_at
        return PairingCode(code, expires_at)

    def redeem(self, code: str, *, name: str, address: str) -> tuple[Device, str]:
        """Pair a device with a code; return it and the cookie value to set.

        Raises:
            PairingTooFast: too many tries from this address in a minute.
            PairingRefused: the code is unknown, used or expired (one answer for all three).
        """
        now = self.clock()
        with self._lock:
            tries = [t for t in self._attempts.get(address, []) if t > now - 60]
            if len(tries) >= ATTEMPTS_PER_MINUTE:
                raise PairingTooFast(
                    f"too many pairing tries from {address}",
                    hint="wait a minute, then scan a new code",
                )
            self._attempts[address] = [*tries, now]
            self._drop_expired()
            wanted = code.strip().upper().replace("-", "").replace(" ", "")
            if self._codes.pop(wanted, None) is None:
                raise PairingRefused(
                    "this pairing code is unknown, used or expired",
                    hint="press 'Use on a phone' on the computer and scan the new code",
                )
            token = secrets.token_urlsafe(32)
            device = Device(
                id=secrets.token_hex(6),
                name=name.strip()[:120] or "?",
                address=address,
                paired_at=now,
                token_hash=token_hash(token),
            )
            self._devices = [*self._devices, device]
            self._save()
        return device, token

    def device_for(self, token: str | None) -> Device | None:
        """The paired device a cookie belongs to, or None."""
        if not token:
            return None
        wanted = token_hash(token)
        with self._lock:
            for device in self._devices:
                if hmac.compare_digest(device.token_hash, wanted):
                    return device
        return None

    def devices(self) -> list[Device]:
        """Every paired device, oldest first."""
        with self._lock:
            return list(self._devices)

    def revoke(self, device_id: str) -> bool:
        """Forget a device (its cookie stops working at once); False when there was none."""
        with self._lock:
            kept = [d for d in self._devices if d.id != device_id]
            if len(kept) == len(self._devices):
                return False
            self._devices = kept
            self._save()
        return True

    def _drop_expired(self) -> None:
        now = self.clock()
        self._codes = {c: at for c, at in self._codes.items() if at > now}

    def _load(self) -> list[Device]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [Device(**item) for item in data.get("devices", []) if isinstance(item, dict)]

    def _save(self) -> None:
        temp = self.path.with_suffix(".tmp")
        text = json.dumps({"devices": [asdict(d) for d in self._devices]}, ensure_ascii=False)
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        temp.replace(self.path)


def is_loopback(address: str) -> bool:
    """Return whether an IP address is this computer (127.0.0.0/8, ``::1``, ``::ffff:127.x``).

    Args:
        address: an IP address as text; a name or anything unparsable is not loopback.
    """
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def lan_address() -> str | None:
    """This computer's address on the local network (the interface of its default route).

    A UDP socket "connected" to a private address sends nothing; it only picks the interface.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address
