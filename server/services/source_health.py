"""What a seller sees of one comment source: its state, counts, gaps and the reason, in her language.

A source is ``connecting`` until the platform accepts it, ``live`` while comments can arrive,
``reconnecting`` (with how many times) after a drop, ``stopped`` when the seller stopped it or a
recording ended, and ``error`` when retrying cannot help (a refused token, a wrong id, a missing
library). Each drop opens a `Gap` (the reconnect's window); it is closed when the source is back,
``is_refilled`` when the platform gave back what was written meanwhile (Facebook's comments edge,
a recording) and recorded as a gap the seller should check (`reconcile`) when it could not.

`alert_of` is pure: a source that has been silent for ``silence_s`` while another source talks,
or that has dropped or stopped on an error, is flagged so the studio and the host console beep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from studio.error_texts import pick_lang

SourceState = Literal["connecting", "live", "reconnecting", "stopped", "error"]
Alert = Literal["", "silent", "dropped", "error"]
MAX_GAPS = 50  # kept per source; older ones are summed into `gaps_dropped`

# Why a source is not (or no longer) live: one line per reason in each page language.
REASONS: dict[str, dict[str, str]] = {
    "stream_ended": {
        "vi": "Nền tảng đã đóng luồng bình luận (live kết thúc?). Đang kết nối lại.",
        "en": "The platform closed the comment stream (has the live ended?). Reconnecting.",
        "ar": "أغلقت المنصة تدفق التعليقات (هل انتهى البث؟). جارٍ إعادة الاتصال.",
    },
    "restarted": {
        "vi": "Máy chủ vừa khởi động lại. Đang lấy bình luận viết trong lúc tắt.",
        "en": "The server restarted. Fetching the comments written while it was off.",
        "ar": "أُعيد تشغيل الخادم. جارٍ جلب التعليقات المكتوبة أثناء توقفه.",
    },
    "network": {
        "vi": "Mất kết nối với nền tảng. Đang thử lại.",
        "en": "The connection to the platform dropped. Retrying.",
        "ar": "انقطع الاتصال بالمنصة. جارٍ إعادة المحاولة.",
    },
    "rate_limited": {
        "vi": "Nền tảng yêu cầu chậm lại. Sẽ thử lại sau một phút.",
        "en": "The platform asked us to slow down. Retrying in a minute.",
        "ar": "طلبت المنصة الإبطاء. ستُعاد المحاولة بعد دقيقة.",
    },
    "auth": {
        "vi": "Nền tảng từ chối mã truy cập của Trang. Hãy kết nối lại Trang.",
        "en": "The platform refused the Page's access token. Connect the Page again.",
        "ar": "رفضت المنصة رمز الوصول الخاص بالصفحة. اربط الصفحة من جديد.",
    },
    "not_found": {
        "vi": "Không tìm thấy buổi live hoặc kênh này. Kiểm tra lại địa chỉ.",
        "en": "This live or channel cannot be found. Check the address.",
        "ar": "تعذر العثور على هذا البث أو القناة. تحقق من العنوان.",
    },
    "dependency": {
        "vi": "Thiếu thư viện cho nền tảng này. Chạy pip install 'livestall[bridges]'.",
        "en": "A library this platform needs is missing. Run pip install 'livestall[bridges]'.",
        "ar": "مكتبة تحتاجها هذه المنصة غير مثبّتة. شغّل pip install 'livestall[bridges]'.",
    },
    "no_token": {
        "vi": "Chưa kết nối Trang Facebook. Kết nối Trang rồi bật lại nguồn.",
        "en": "No Facebook Page is connected. Connect the Page, then start the source again.",
        "ar": "لا توجد صفحة فيسبوك مربوطة. اربط الصفحة ثم شغّل المصدر من جديد.",
    },
    "stopped": {
        "vi": "Đã dừng theo yêu cầu.",
        "en": "Stopped on request.",
        "ar": "أُوقف بناءً على الطلب.",
    },
    "file_done": {
        "vi": "Đã phát lại hết file bình luận.",
        "en": "The recorded chat has been played to the end.",
        "ar": "اكتمل تشغيل ملف التعليقات المسجّل.",
    },
    "file_unreadable": {
        "vi": "Không đọc được file bình luận đã ghi lại. Kiểm tra đường dẫn và định dạng.",
        "en": "The recorded chat file cannot be read. Check its path and format.",
        "ar": "تعذرت قراءة ملف التعليقات المسجّل. تحقق من مساره وصيغته.",
    },
    "silent": {
        "vi": "Nguồn này im lặng trong khi các nguồn khác vẫn có bình luận.",
        "en": "This source is silent while the others have comments.",
        "ar": "هذا المصدر صامت بينما تصل تعليقات من المصادر الأخرى.",
    },
    "failed": {
        "vi": "Nguồn gặp lỗi không thử lại được.",
        "en": "The source hit an error that retrying cannot fix.",
        "ar": "واجه المصدر خطأ لا تصلحه إعادة المحاولة.",
    },
}


def reason_text(code: str, lang: str) -> str:
    """Return the seller's line for a reason code in `lang` (English for an unknown language)."""
    texts = REASONS.get(code)
    if texts is None:
        return ""
    return texts.get(pick_lang(lang), texts["en"])


@dataclass(slots=True)
class Gap:
    """A window when a source was not connected.

    Attributes:
        start_s, end_s: epoch seconds (``end_s`` None while the source is still away).
        is_refilled: the platform gave back what was written in the window.
        backfilled: comments fetched for the window after the reconnect.
    """

    start_s: float
    end_s: float | None = None
    is_refilled: bool = False
    backfilled: int = 0


@dataclass(slots=True)
class SourceHealth:
    """The live health of one source (mutated by the supervisor, read by the routes)."""

    state: SourceState = "stopped"
    reason: str = ""
    detail: str = ""  # the platform's own words, scrubbed of tokens (for the log and support)
    reconnects: int = 0
    comments: int = 0  # new comments ingested
    duplicates: int = 0  # comments ingest had already (resent after a reconnect)
    events: int = 0  # gifts, likes, follows: never orders
    backfilled: int = 0
    last_comment_s: float | None = None
    live_since_s: float | None = None
    gaps: list[Gap] = field(default_factory=list)
    gaps_dropped: int = 0
    _is_catching_up: bool = False

    def begin(self) -> None:
        """The source is starting (again, after a stop or an error)."""
        self.state, self.reason, self.detail = "connecting", "", ""

    def connected(self, now_s: float, *, can_refill: bool) -> None:
        """The platform accepted the connection: close the open gap."""
        self.state, self.reason = "live", ""
        self.live_since_s = now_s
        self._is_catching_up = False
        if self.gaps and self.gaps[-1].end_s is None:
            gap = self.gaps[-1]
            gap.end_s = now_s
            gap.is_refilled = can_refill

    def dropped(self, now_s: float, reason: str, detail: str) -> None:
        """The connection ended; a reconnect follows and comments until it are back-fill."""
        self.reconnects += 1
        self.state, self.reason, self.detail = "reconnecting", reason, detail
        self._is_catching_up = True
        if not self.gaps or self.gaps[-1].end_s is not None:
            start = max(self.last_comment_s or now_s, self.live_since_s or now_s)
            self.gaps.append(Gap(start_s=min(start, now_s)))
            if len(self.gaps) > MAX_GAPS:
                self.gaps.pop(0)
                self.gaps_dropped += 1

    def failed(self, reason: str, detail: str) -> None:
        """Retrying cannot help: the seller must act (the reason says how)."""
        self.state, self.reason, self.detail = "error", reason, detail
        self._close_gap_unfilled()

    def stopped(self, reason: str = "stopped") -> None:
        """The seller stopped the source, or its recording ended."""
        self.state, self.reason = "stopped", reason
        self._close_gap_unfilled()

    def counted(self, now_s: float, *, is_duplicate: bool) -> None:
        """One comment reached ingest."""
        if is_duplicate:
            self.duplicates += 1
            return
        self.comments += 1
        self.last_comment_s = now_s
        if self._is_catching_up:
            self.backfilled += 1
            if self.gaps:
                self.gaps[-1].backfilled += 1

    def _close_gap_unfilled(self) -> None:
        if self.gaps and self.gaps[-1].end_s is None:
            self.gaps[-1].end_s = self.gaps[-1].start_s
        self._is_catching_up = False


def alert_of(
    health: SourceHealth, others: Sequence[SourceHealth], *, now_s: float, silence_s: float
) -> Alert:
    """Return why the seller should look at this source now ("" when all is well).

    ``dropped``: it is reconnecting. ``error``: it stopped on an error the seller must fix (the
    reason says how). ``silent``: it is live, has had no comment for
    `silence_s` (counted from its last comment, or from when it went live), and another source
    had one within that time: a feed that quietly stopped while the chat goes on.
    """
    if health.state == "reconnecting":
        return "dropped"
    if health.state == "error":
        return "error"
    if health.state != "live":
        return ""
    quiet_since = next(
        (t for t in (health.last_comment_s, health.live_since_s) if t is not None), now_s
    )
    if now_s - quiet_since < silence_s:
        return ""
    talking = any(
        o.last_comment_s is not None and now_s - o.last_comment_s < silence_s for o in others
    )
    return "silent" if talking else ""
