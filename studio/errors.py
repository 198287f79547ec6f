"""The one exception tree of Livestall, shared by every package.

::

    LivestallError                      base; `code`, `exit_code`, `hint`
    ├── InputError (exit 2)             the seller's file, spec, catalog or comment is wrong
    │   ├── CatalogError                catalog.invalid
    │   │   ├── CatalogRowInvalid       catalog.row        (names file, row and column)
    │   │   │   └── CatalogPhotoRefused catalog.photo      (a photo outside the folder, or no image)
    │   │   └── CatalogChanged          catalog.changed    (HTTP 409; changed since the preview)
    │   ├── PhotoUnreadable             photo.unreadable
    │   ├── PhotoTooLarge               photo.too_large
    │   ├── PhotoEmpty                  photo.empty         (no product found)
    │   ├── PhotoTooSmall               photo.too_small     (e.g. 1x1 px)
    │   ├── UnknownPreset               photo.unknown_preset
    │   ├── UnknownEngine               photo.unknown_engine
    │   ├── SpecInvalid                 clip.spec           (names the field path)
    │   ├── UnknownCurrency             money.currency
    │   ├── UploadRejected              upload.rejected
    │   │   ├── UploadNotPhoto          upload.not_photo    (one file of a batch; the rest go on)
    │   │   ├── UploadDamaged           upload.damaged
    │   │   └── UploadEmpty             upload.empty
    │   ├── JobNotFound                 studio.job_not_found (web studio; HTTP 404)
    │   ├── StudioHostRefused           studio.host         (--host other machines reach; exit 2)
    │   ├── RequestTooLarge             request.too_large   (HTTP 413; body over its limit)
    │   └── TextUnstorable              input.text          (NUL, lone surrogate, not UTF-8)
    ├── ModelError                      model.*
    │   ├── ModelMissing                model.missing       (hint: livestall models pull)
    │   ├── ModelChecksumMismatch       model.checksum
    │   ├── ModelDamaged                model.damaged       (the file does not load)
    │   └── ModelDownloadFailed         model.download
    ├── OutputError                     output.*            (cannot write where asked)
    │   ├── TooLargeForPreset           export.too_large
    │   └── OutputCollision             output.collision    (two inputs, one output name)
    ├── RenderError                     clip.render         (ffmpeg failed)
    ├── SystemDependencyMissing         system.missing      (ffmpeg, fribidi, chromium)
    ├── LiveError                       live.*
    │   ├── OrderRejected               order.rejected
    │   ├── ProductNotFound             live.product_not_found
    │   ├── OrderNotFound               live.order_not_found
    │   ├── LiveNotFound                live.not_found      (an earlier live's id that is not there)
    │   ├── LiveStartUnconfirmed        live.start_unconfirmed (a new live without the seller's OK)
    │   ├── ViewerNotFound              live.viewer_not_found
    │   ├── SlowClient                  live.slow_client    (websocket closed 4008; resume with since)
    │   ├── AuthError                   live.auth
    │   │   └── NotThisComputer         studio.local_only   (HTTP 403; the studio from elsewhere)
    │   ├── StoreUnavailable            live.store_unavailable (HTTP 503; retry the same comment_id)
    │   └── BridgeError                 bridge.*            (platform bridges)
    │       ├── BridgeDependencyMissing bridge.missing_library (exit 3; pip install livestall[bridges])
    │       ├── BridgeAuthError         bridge.auth         (names the token to renew)
    │       ├── BridgeSourceInvalid     bridge.source       (a SOURCE argument we cannot use)
    │       └── RecordingUnreadable     bridge.recording    (a chat file we cannot parse)
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
        params: the values the message names (``row``, ``column``, ``file``), so the seller's
            language can name them too (`studio.error_texts`).
    """

    code = "error"
    exit_code = 1
    http_status = 500

    def __init__(
        self, message: str, *, hint: str = "", params: dict[str, str | int] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.params: dict[str, str | int] = dict(params or {})

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


class CatalogPhotoRefused(CatalogRowInvalid):
    """A product's photo is outside the catalog's folders, or not a photo (``tokens.json``)."""

    code = "catalog.photo"


class CatalogChanged(CatalogError):
    """The catalog changed between an import's preview and its confirmation."""

    code = "catalog.changed"
    http_status = 409


class UnknownCurrency(InputError):
    """A currency code that is not ISO 4217."""

    code = "money.currency"


class PhotoUnreadable(InputError):
    """A file is not an image we can decode (corrupt, truncated, empty or not an image)."""

    code = "photo.unreadable"


class PhotoTooLarge(InputError):
    """A photo has too many pixels (over 80 MP, or a decompression bomb); HTTP 413."""

    code = "photo.too_large"
    http_status = 413


class PhotoEmpty(InputError):
    """No product could be found in a photo (nothing in the matte)."""

    code = "photo.empty"


class PhotoTooSmall(InputError):
    """A photo has too few pixels to hold a product (e.g. 1x1)."""

    code = "photo.too_small"


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


class UploadNotPhoto(UploadRejected):
    """An uploaded file is not a JPEG, PNG, WebP or HEIC photo, whatever its name says."""

    code = "upload.not_photo"


class UploadDamaged(UploadRejected):
    """An uploaded file starts like a photo but cannot be read."""

    code = "upload.damaged"


class UploadEmpty(UploadRejected):
    """An uploaded file has no bytes."""

    code = "upload.empty"


class JobNotFound(InputError):
    """The web studio has no job (or file) with that id."""

    code = "studio.job_not_found"
    http_status = 404


class RequestTooLarge(InputError):
    """A request body is larger than its route takes (checked before and while it is read)."""

    code = "request.too_large"
    http_status = 413


class TextUnstorable(InputError):
    """Text in a request that cannot be stored: NUL, a lone UTF-16 surrogate, or bytes not UTF-8."""

    code = "input.text"


class StudioHostRefused(InputError):
    """The web studio was asked to listen where other machines reach it (``--host 0.0.0.0``)."""

    code = "studio.host"


class ModelError(LivestallError):
    """Something is wrong with a background-removal model file."""

    code = "model.error"


class ModelMissing(ModelError):
    """The model is not provisioned and we may not download it."""

    code = "model.missing"


class ModelChecksumMismatch(ModelError):
    """A fetched model file does not match its pinned sha256; the file was deleted."""

    code = "model.checksum"


class ModelDamaged(ModelError):
    """ONNX Runtime cannot load the installed model file."""

    code = "model.damaged"


class ModelDownloadFailed(ModelError):
    """Every source of a model failed."""

    code = "model.download"


class OutputError(LivestallError):
    """We cannot write where the seller asked (missing folder, read-only, disk full)."""

    code = "output.unwritable"


class OutputCollision(OutputError):
    """Two inputs would write the same output file (same stem)."""

    code = "output.collision"


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


class OrderFixInvalid(InputError):
    """A fix in the review queue names no line, or a product / variant the live does not have."""

    code = "order.fix"


class ProductNotFound(LiveError):
    """No product with that SKU in the live catalog."""

    code = "live.product_not_found"
    http_status = 404


class OrderNotFound(LiveError):
    """No order with that id in the live session."""

    code = "live.order_not_found"
    http_status = 404


class LiveNotFound(LiveError):
    """No live (session) with that id: the list of lives does not have it."""

    code = "live.not_found"
    http_status = 404


class LiveStartUnconfirmed(LiveError):
    """A new live was asked for without the seller confirming it (the current live has orders)."""

    code = "live.start_unconfirmed"


class ViewerNotFound(LiveError):
    """No viewer with that id."""

    code = "live.viewer_not_found"
    http_status = 404


class SlowClient(LiveError):
    """A websocket client fell too far behind to receive an event that may not be dropped."""

    code = "live.slow_client"


class AuthError(LiveError):
    """A token is missing or wrong."""

    code = "live.auth"
    http_status = 401


class PairingRefused(AuthError):
    """A phone's pairing code is unknown, used or expired, or it tried too often."""

    code = "studio.pairing"


class PairingTooFast(PairingRefused):
    """One address tried to pair too many times in a minute."""

    code = "studio.pairing_rate"
    http_status = 429


class LanOff(LiveError):
    """Pairing a phone was asked while the studio listens on this computer only."""

    code = "studio.lan_off"


class NotThisComputer(AuthError):
    """A studio request came from another machine; the studio answers only its own computer."""

    code = "studio.local_only"
    http_status = 403


class StoreUnavailable(LiveError):
    """The database cannot be reached: nothing was stored; the same request may be sent again."""

    code = "live.store_unavailable"
    http_status = 503


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


class PaymentNotFound(PaymentError):
    """No stored bank transaction with that id (already decided, or never received)."""

    code = "payment.not_found"
    http_status = 404


class BridgeError(LiveError):
    """A platform bridge cannot run (see docs/bridges.md)."""

    code = "bridge.error"


class BridgeDependencyMissing(BridgeError):
    """The optional platform library a bridge needs is not installed."""

    code = "bridge.missing_library"
    exit_code = 3

    def __init__(self, source: str, package: str) -> None:
        super().__init__(
            f"the {source} bridge needs the {package} library, which is not installed",
            hint="run `pip install 'livestall[bridges]'`",
        )


class BridgeAuthError(BridgeError):
    """A platform or the live server refused a token; the message names which one to renew."""

    code = "bridge.auth"
    exit_code = 2


class BridgeSourceInvalid(BridgeError):
    """A bridge SOURCE argument we cannot use (unknown platform, bad id, missing token)."""

    code = "bridge.source"
    exit_code = 2


class RecordingUnreadable(BridgeError):
    """A recorded chat file that is missing, empty or in no format we know."""

    code = "bridge.recording"
    exit_code = 2
