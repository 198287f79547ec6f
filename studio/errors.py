"""The one exception tree of Livestall, shared by every package.

::

    LivestallError                      base; `code`, `exit_code`, `hint`
    ├── InputError (exit 2)             the seller's file, spec, catalog or comment is wrong
    │   ├── CatalogError                catalog.invalid
    │   │   └── CatalogRowInvalid       catalog.row        (names file, row and column)
    │   ├── PhotoUnreadable             photo.unreadable
    │   ├── PhotoTooLarge               photo.too_large
    │   ├── PhotoEmpty                  photo.empty         (no product found)
    │   ├── UnknownPreset               photo.unknown_preset
    │   ├── UnknownEngine               photo.unknown_engine
    │   ├── SpecInvalid                 clip.spec           (names the field path)
    │   ├── UnknownCurrency             money.currency
    │   └── UploadRejected              upload.rejected
    ├── ModelError                      model.*
    │   ├── ModelMissing                model.missing       (hint: livestall models pull)
    │   ├── ModelChecksumMismatch       model.checksum
    │   └── ModelDownloadFailed         model.download
    ├── OutputError                     output.*            (cannot write where asked)
    │   └── TooLargeForPreset           export.too_large
    ├── RenderError                     clip.render         (ffmpeg failed)
    ├── SystemDependencyMissing         system.missing      (ffmpeg, fribidi, chromium)
    ├── LiveError                       live.*
    │   ├── OrderRejected               order.rejected
    │   ├── ProductNotFound             live.product_not_found
    │   └── AuthError                   live.auth
    └── PaymentError (exit 2)           payment.*
        ├── PaymentFieldInvalid         payment.field       (BIN, account, amount, note)
        ├── PaymentPayloadInvalid       payment.payload     (QR text or webhook body is corrupt)
        ├── UnknownBank                 payment.unknown_bank
        ├── StatementUnreadable         payment.statement   (names file and row)
        └── WebhookRejected             payment.webhook     (bad token; HTTP 401)

Programming mistakes stay ``TypeError`` / ``ValueError`` / ``assert``: they are not seller errors.
"""

from __future__ import annotations


class LivestallError(Exception):
    """Base of every error Livestall raises on purpose.

    Args:
        message: what happened, to which file / row / SKU.
        hint: what the seller can do about it.
    """

    code = "error"
    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message

    def to_dict(self) -> dict[str, str]:
        """Return the stable JSON form used by `--json` and the HTTP API."""
        return {"code": self.code, "message": self.message, "hint": self.hint}


class InputError(LivestallError):
    """The seller's file, spec, catalog or comment is wrong."""

    code = "input.invalid"
    exit_code = 2
    http_status = 422


class CatalogError(InputError):
    """The catalog as a whole cannot be used (missing file, unknown format, duplicate SKU)."""

    code = "catalog.invalid"


class CatalogRowInvalid(CatalogError):
    """One row of the catalog is wrong; the message names file, row and column."""

    code = "catalog.row"


class UnknownCurrency(InputError):
    """A currency code that is not ISO 4217."""

    code = "money.currency"


class PhotoUnreadable(InputError):
    """A file is not an image we can decode (corrupt, truncated, empty or not an image)."""

    code = "photo.unreadable"


class PhotoTooLarge(InputError):
    """A photo is over the decompression-bomb limit."""

    code = "photo.too_large"


class PhotoEmpty(InputError):
    """No product could be found in a photo (nothing in the matte)."""

    code = "photo.empty"


class UnknownPreset(InputError):
    """A marketplace preset name that does not exist."""

    code = "photo.unknown_preset"


class UnknownEngine(InputError):
    """A matte engine name that does not exist."""

    code = "photo.unknown_engine"


class SpecInvalid(InputError):
    """A clip spec field is wrong; the message names the field path (``scenes[2].price``)."""

    code = "clip.spec"


class UploadRejected(InputError):
    """An upload was refused (type, size or count)."""

    code = "upload.rejected"
    http_status = 413


class ModelError(LivestallError):
    """Something is wrong with a background-removal model file."""

    code = "model.error"


class ModelMissing(ModelError):
    """The model is not provisioned and we may not download it."""

    code = "model.missing"


class ModelChecksumMismatch(ModelError):
    """A fetched model file does not match its pinned sha256; the file was deleted."""

    code = "model.checksum"


class ModelDownloadFailed(ModelError):
    """Every source of a model failed."""

    code = "model.download"


class OutputError(LivestallError):
    """We cannot write where the seller asked (missing folder, read-only, disk full)."""

    code = "output.unwritable"


class TooLargeForPreset(OutputError):
    """An exported image cannot be made small enough for its preset's file-size limit."""

    code = "export.too_large"


class RenderError(LivestallError):
    """The video encoder failed."""

    code = "clip.render"


class SystemDependencyMissing(LivestallError):
    """A system program or library is missing (ffmpeg, FriBiDi, chromium)."""

    code = "system.missing"
    exit_code = 3


class LiveError(LivestallError):
    """A live-sale operation cannot be done."""

    code = "live.error"
    http_status = 409


class OrderRejected(LiveError):
    """An order cannot be taken (unknown SKU, variant, blocked viewer, limit)."""

    code = "order.rejected"


class ProductNotFound(LiveError):
    """No product with that SKU in the live catalog."""

    code = "live.product_not_found"
    http_status = 404


class AuthError(LiveError):
    """A token is missing or wrong."""

    code = "live.auth"
    http_status = 401


class PaymentError(LivestallError):
    """A payment QR, bank statement or bank notification cannot be used."""

    code = "payment.error"
    exit_code = 2
    http_status = 422


class PaymentFieldInvalid(PaymentError):
    """A payment field is wrong: bank BIN, account number, amount or transfer note."""

    code = "payment.field"


class PaymentPayloadInvalid(PaymentError):
    """A payment QR text or bank webhook body is corrupt (bad CRC, cut, wrong scheme or JSON)."""

    code = "payment.payload"


class UnknownBank(PaymentError):
    """A bank BIN or name that is not in the NAPAS list."""

    code = "payment.unknown_bank"


class StatementUnreadable(PaymentError):
    """A bank statement export cannot be read; the message names the file and row."""

    code = "payment.statement"


class WebhookRejected(PaymentError):
    """A bank-notification webhook was refused (missing or wrong token, bad body)."""

    code = "payment.webhook"
    exit_code = 1
    http_status = 401
