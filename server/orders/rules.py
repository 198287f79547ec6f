"""The words order comments are read with: data only, no logic.

Every phrase is written the way a careful writer spells it (``"chốt"``, ``"أريد"``); the parser
folds it with the same `server.orders.normalize.fold` it applies to comments, so one entry also
covers the comment written without diacritics (``"chot"``) or in capitals (``"CHỐT"``). A comment
word written *with* diacritics must carry the same ones (``"mưa"``, rain, is not ``"mua"``, buy):
list common misspellings (``"chót"``) explicitly. Sources and reasons: docs/orders.md.

Categories of `PHRASES`:

- ``order``: the viewer takes something (CommentSold's "SOLD", SHOPLINE's keyword mode).
- ``cancel``: the viewer takes it back.
- ``ask``: a question word; its clause is a question even with an order keyword in it.
- ``query``: a softer question sign (``"còn"``, ``"không"`` as a particle, ``"?"``); its clause is a
  question only when it has no order keyword (``"cho em lấy A12 được không"`` is a polite order).
- ``void``: looks like a keyword but is not one (``"sold out"``, ``"mua rồi"``); the words are used up.
- ``past``: the order happened before (``"hôm qua"``, ``"rồi"``): an ordering clause with one is a
  new order only if the comment says nothing else (``"e chốt A12 rồi nha"``, not ``"bạn em mua D15
  rồi khen lắm"``).
"""

from __future__ import annotations

from typing import Final, Literal

# fmt: off
Category = Literal["order", "cancel", "ask", "query", "void", "past"]

ORDER: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "chốt", "chôt", "chót", "chốt đơn", "lấy", "lấy em", "mua", "đặt", "đặt hàng", "đặt mua",
        "lên đơn", "lên cho em", "order", "cho em", "cho chị", "cho anh", "cho mình", "cho tôi",
        "cho tui", "cho cháu", "cho con", "cho a", "xin", "giữ", "giữ cho em", "để cho em",
        "ship cho em", "ship em", "gửi em", "gửi cho em", "thêm", "muốn lấy", "muốn mua",
        # pointing at what the host shows: "cái c đang cầm size M"
        "đang cầm", "đang mặc", "đang cầm trên tay",
    ),
    "en": (
        "sold", "take", "i'll take", "i will take", "want", "i want", "mine", "buy", "i'll buy",
        "i'd like", "i would like", "can i get", "can i have", "could i get", "reserve", "claim",
        "hold", "hold for me", "need", "i need",
        "put me down for", "put me down", "add", "add me",
    ),
    "ar": (
        "أريد", "أبي", "أبغى", "بدي", "عايز", "عايزة", "عاوز", "اشتري", "حجز",
        "احجز", "احجزي", "احجزلي", "اطلب", "طلب",
        # Gulf spellings and object clitics ("I want it"), Egyptian feminine forms, "one for me"
        "ابغا", "ابيها", "ابيه", "ابغاها", "ابغاه", "ابغيها", "عاوزة", "عايزاها",
        "عاوزاها", "احجزيلي", "احجزيها", "احجزها", "ودي", "لي وحدة", "لي واحد", "تحجزين",
        "تحجزي", "تحجزيلي", "حجزيلي",
    ),
}

CANCEL: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "hủy", "huỷ", "hủy đơn", "huỷ đơn", "bỏ đơn", "không lấy", "không lấy nữa",
        "không mua", "không mua nữa", "thôi không lấy", "đổi ý", "bỏ", "bỏ giúp", "rút đơn",
        "xoá đơn", "xóa đơn", "xoá", "xóa", "đừng gửi", "đừng gửi nữa", "khỏi gửi", "đừng ship",
        "thôi không lấy nữa", "thôi khỏi",
    ),
    "en": (
        "cancel", "cancle", "cancelled", "cxl", "don't want", "dont want", "do not want",
        "no longer", "never mind", "nevermind", "nvm", "remove", "remove my order",
        "cancel my order",
    ),
    "ar": (
        "إلغاء", "ألغي", "الغي الطلب", "كنسل", "لا أريد", "ما أبي", "مابي", "ما بدي", "مش عايز",
        "مش عاوز", "الغيها", "الغيه", "كنسلي", "كنسله", "كنسليها", "ما ابيها", "ما ابيه",
        "ما ابغى", "ما ابغاها", "مابغى", "ماابغى", "مش عايزة", "مش عايزاها", "مش عايزها",
        "مش عاوزة", "مش عاوزاها", "=بلاش", "شيلي طلبي", "شيلي الطلب", "امسحي الطلب",
        "امسحي طلبي", "امسح الطلب", "لا تحجزين", "لا تحجزي", "تراجعت",
    ),
}

ASK: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "giá", "bao nhiêu", "nhiêu", "bao lâu", "=mấy", "ở đâu", "đâu", "sao", "thế nào", "như nào", "nào",
        "gì", "khi nào", "bao giờ", "hỏi", "tư vấn", "chưa", "cho em xem", "cho xem", "cho em coi",
        "cho coi", "xem giúp",
        "cho em hỏi", "cho hỏi", "cho em biết", "cho biết", "xin giá", "hả", "ai lấy", "ai mua",
    ),
    "en": (
        "how", "how much", "price", "cost", "where", "when", "what", "which", "why", "do you have",
        "is it", "is there", "does it",
    ),
    "ar": (
        "كم", "بكم", "سعر", "السعر", "كيف", "وين", "أين", "متى", "شو", "ايش", "ماذا", "لماذا",
        "اسأل", "استفسار", "سؤال", "اشوف", "وريني", "ورني",
    ),
}

QUERY: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "không", "=còn", "=còn hàng", "được không", "inbox", "check inbox", "rep",
    ),
    "en": (
        "available", "in stock", "still", "any",
    ),
    "ar": (
        "هل", "متوفر", "متوفرة", "موجود", "موجودة",
    ),
}

PAST: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "rồi", "đã", "hôm qua", "hôm trước", "hôm bữa", "bữa trước", "lần trước", "tuần trước",
        "tháng trước", "lúc nãy", "hồi nãy",
    ),
    "en": ("already", "yesterday", "last week", "last time", "before"),
    "ar": ("أمس", "امبارح", "قبل"),
}

# A change of an order already placed: the old line goes, the new one comes ("đổi sang màu trắng").
# Words after which the old line comes ("lấy L thay vì M": L is new); listed in CHANGE too.
CHANGE_INSTEAD: Final[tuple[str, ...]] = ("thay vì", "thay cho", "instead of")
CHANGE: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "đổi sang", "đổi qua", "đổi thành", "đổi", "chuyển sang", "chuyển qua", "chuyển thành",
        "đổi lại", "sửa lại", "sửa thành",
        "thay vì", "thay cho",
    ),
    "en": ("change", "change mine to", "switch", "switch to", "swap", "instead of", "make it"),
    # "غير" alone is mostly "not" ("غير مطابق"): only with what it changes
    "ar": ("بدل", "بدلي", "غير المقاس", "غير اللون", "غيري", "غيرلي", "ابدل"),
}
# Words after which the new variant comes ("đổi size M sang L": L is new).
CHANGE_TO: Final[tuple[str, ...]] = ("sang", "qua", "thành", "to", "الى", "ل")

# What hosts and staff write (confirming someone's order, posting the syntax): never an order.
SELLER: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "ghi nhận", "shop ghi nhận", "đã chốt cho", "chốt cho bạn", "chốt đơn cho khách",
        "chốt cho khách", "cú pháp", "ví dụ", "lên đơn cho", "đã lên đơn", "xác nhận đơn",
        "nhận đơn", "đã nhận đơn",
        # out of stock, said by the host: "hết size M rồi ạ"
        "hết size", "hết màu", "hết mẫu",
        "để shop lên đơn", "các bạn", "cả nhà", "ai chốt",
    ),
    "en": ("recorded", "confirmed for", "for example"),
    "ar": ("تم تسجيل", "تم حجز"),
}

# Words that make a clause a soft question when they open it: "is the AB2 real leather".
QUERY_OPENERS: Final[tuple[str, ...]] = (
    "is", "are", "does", "do", "did", "can", "could", "will", "would", "has", "have", "should",
)

VOID: Final[dict[str, tuple[str, ...]]] = {
    "vi": (
        "mua rồi", "đã mua", "đã nhận", "hết hàng", "hết rồi", "lấy chồng", "lấy vợ", "nào cũng",
        # buying told about or recommended, not done here: "đáng mua", "nên mua", "xin lỗi"
        "đáng mua", "đáng để mua", "nên mua", "mới mua", "lần đầu mua", "đặt nhầm", "mua nhầm",
        "xin lỗi", "giải thích cho", "trao đổi",
    ),
    "en": (
        "sold out", "take a look", "hold on", "bought", "want to", "wanna",
    ),
    "ar": (
        "نفذت", "خلصت",
    ),
}

# Teen-code and abbreviations, rewritten before the tables are consulted (a word, not glued to a
# number: "2c" is "2 cái", "c" alone is "chị"). Values are written as in the tables.
ABBREVIATIONS: Final[dict[str, str]] = {
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "hok": "không", "hông": "không",
    "khum": "không", "hem": "không", "hum": "không", "kô": "không", "khôg": "không", "cko": "cho",
    "ch0": "cho", "e": "em", "c": "chị", "mk": "mình", "mik": "mình", "mh": "mình", "dc": "được",
    "đc": "được", "dk": "được", "đk": "được", "bn": "bao nhiêu", "bnh": "bao nhiêu",
    "nhiu": "nhiêu", "j": "gì", "ji": "gì", "sl": "số lượng", "sz": "size", "saiz": "size",
    "siz": "size", "oder": "order", "odr": "order", "ordr": "order", "síp": "ship", "sip": "ship",
    "ib": "inbox", "mún": "muốn", "thui": "thôi", "r": "rồi", "lun": "luôn", "hũy": "hủy",
    "pls": "please", "plz": "please", "u": "you", "chôts": "chốt", "cốt": "chốt",
    "chốtt": "chốt", "chott": "chốt", "nhaa": "nha", "nhee": "nhe",
    # spelled by ear: "zanh" for xanh, "fri sai" for free size
    "zanh": "xanh", "xah": "xanh", "fri": "free", "đenn": "đen", "trănng": "trắng",
}
# Spellings of the table above that are guesses, not shorthand: an order read through one is
# placed for review.
FUZZY: Final[tuple[str, ...]] = ("zanh", "xah", "fri", "đenn", "trănng")

# Kind words: what a product is, as its name starts ("Chả mực Hạ Long" is a "chả"). A kind word in
# a comment names a product only when one product of the live is of that kind (or the pinned one
# among several). Each entry: the kind as names start with it, then other words buyers use for it.
KINDS: Final[tuple[tuple[str, ...], ...]] = (
    ("áo", "ao", "تيشيرت", "تيشرت", "قميص", "shirt", "tshirt", "tee"), ("quần", "shorts", "pants", "شورت", "بنطلون"), ("váy", "đầm", "dress", "فستان"),
    ("đầm", "váy", "dress", "فستان"), ("dép", "sandals", "slippers", "شبشب", "صندل"), ("giày",), ("son",),
    ("mực",), ("chả",), ("nước mắm", "mắm"), ("tương ớt",), ("bánh đa",), ("trà",),
    ("mật ong",), ("set", "bộ"), ("túi",), ("earrings", "earring", "bông tai", "khuyên tai", "حلق", "اقراط", "حلقان"),
    ("shirt", "tee", "تيشيرت", "تيشرت"), ("dress",), ("shorts",), ("sandals",),
    ("عباية", "عبايه", "عبايات", "abaya", "abayas"), ("فستان",),
)
# Units guessed from a product's name when the catalog gives none ("lọ 250g" -> lọ).
NAME_UNITS: Final[tuple[str, ...]] = (
    "hộp", "túi", "bịch", "gói", "chai", "lọ", "hũ", "cây", "thỏi", "đôi", "bộ", "cái", "kg",
    "lạng",
)
# Words before a number that make it a price pointer ("mẫu 285k", "váy 350").
PRICE_POINTERS: Final[tuple[str, ...]] = (
    "mẫu", "cái", "loại", "con", "em", "سعرها", "سعره", "بسعر", "ب",
)
# Words after a price that say it is money ("350k", "350 nghìn", "350.000đ"); "tr" = millions.
MONEY_UNITS: Final[tuple[str, ...]] = ("k", "nghìn", "ngàn", "đ", "vnd", "vnđ", "đồng")
# Words after a number that make it a body weight, read through the product's size chart.
WEIGHT_UNITS: Final[tuple[str, ...]] = ("kg", "ký", "kí", "kilo", "cân", "كيلو")
# Words before the buyer's own weight or height ("e nặng 56", "cao 1m60"): what follows is a
# body measure, never a count. The weight ones read through the size chart.
BODY_WEIGHT: Final[tuple[str, ...]] = ("nặng", "cân nặng", "weight", "i weigh", "وزني", "وزن")
BODY_HEIGHT: Final[tuple[str, ...]] = ("cao", "chiều cao", "height", "طولي", "طول")

# Words a comment made of a product code may also contain and still be an order ("A12 nha shop").
FILLER: Final[tuple[str, ...]] = (
    "ạ", "a", "nha", "nhé", "nhe", "nhá", "nhen", "ha", "shop", "sốp", "ad", "admin", "ơi", "chị",
    "em", "anh", "mình", "tôi", "tui", "với", "nữa", "và", "luôn", "ngay", "liền", "đi", "ship",
    "cod", "sđt", "số", "điện thoại", "phone", "tel", "size", "màu", "cảm ơn", "cám ơn", "ok",
    "oke", "oki", "okay", "and", "thanks", "thank you", "thx", "please", "me", "i", "for", "yes",
    "hi", "hello", "chào", "من", "فضلك", "لو", "سمحت", "شكرا", "و", "لي", "sis", "này",
    "cái này", "giúp", "giúp em", "dùm", "nhanh", "it", "this", "this one", "that", "that one",
    "هذا", "هذه", "هاي", "the", "in", "of", "đang", "cầm", "mặc", "cho", "ship to",
    "انا", "الله", "يعطيك", "يعطيكي", "العافية", "يسعدك", "حبيبتي", "حبيبي", "يا", "اختي",
    "these", "those", "an", "more", "thôi",
    "سمحتي", "تكفين", "ممكن", "mã", "hết", "như", "giống", "اذا", "رقمي", "رقم", "جوالي",
    "جوال", "واتساب", "قلبي", "عمري", "غاليتي",
    # when to deliver, how to pay: said with the order ("giao giờ hành chính nha, 1 cái M đen")
    "giao giờ hành chính", "giờ hành chính", "ngoài giờ hành chính", "chuyển khoản", "ck trước",
    # what is sold, named generically: "chốt cho em 1 áo size M"
    "áo", "quần", "váy", "đầm", "giày", "dép", "túi", "son", "mẫu", "mẫu này", "sản phẩm", "hàng",
    "item", "dress", "shirt", "bag", "shoes", "عباية", "فستان", "شنطة", "حذاء", "جزمة", "روج",
)

# Number words, by language. Used only next to a unit, a product code, a keyword or "x".
NUMBERS: Final[dict[str, int]] = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple": 2, "a pair": 1, "واحد": 1, "واحدة": 1,
    "اثنين": 2, "اثنان": 2, "ثنتين": 2, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5,
    "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثمان": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10, "وحدة": 1, "حبتين": 2, "علبتين": 2, "قطعتين": 2, "زوجين": 2,
    "اتنين": 2, "تنين": 2, "تلاتة": 3, "تلات": 3,
}

# Units counted after a number: "2 cái", "2c", "3 pcs", "٢ حبة".
UNITS: Final[tuple[str, ...]] = (
    "cái", "c", "chiếc", "bộ", "đôi", "hộp", "hũ", "hủ", "chai", "gói", "túi", "cây", "thỏi", "set",
    "bịch", "lọ", "lạng", "bottle", "bottles", "box", "boxes", "bag", "bags",
    "món", "sp", "sản phẩm", "phần", "ly", "pcs", "pc", "piece", "pieces", "unit", "units", "pair",
    "pairs", "items", "item", "of", "pack", "packs", "jar", "jars", "حبة", "حبات", "قطعة", "قطع", "علبة", "علب",
)

# Words before a quantity: "sl 2", "số lượng: 2", "qty 3", "x2" (also "*2", "×2").
QTY_PREFIXES: Final[tuple[str, ...]] = (
    "x", "sl", "số lượng", "qty", "quantity", "عدد", "كمية",
)

# Words after a number that make it money, a measure or a time, never a quantity.
NOT_QTY_UNITS: Final[tuple[str, ...]] = (
    "k", "đ", "d", "vnd", "vnđ", "tr", "triệu", "nghìn", "ngàn", "kg", "g", "gr", "cm", "mm", "h",
    "giờ", "phút", "tuổi", "năm", "ml", "lít", "usd", "sar", "aed", "ريال", "درهم", "جنيه", "كيلو",
    "سم",
)

SIZE_PREFIXES: Final[tuple[str, ...]] = (
    "size", "sai", "cỡ", "số", "مقاس", "المقاس", "قياس", "سايز",
)

COLOR_PREFIXES: Final[tuple[str, ...]] = (
    "màu", "color", "colour", "لون", "اللون",
)

# Sizes any shop might sell: a size word that is not the product's own is reported, not dropped.
GENERIC_SIZES: Final[tuple[str, ...]] = (
    "xs", "s", "m", "l", "xl", "xxl", "2xl", "xxxl", "3xl", "4xl", "freesize",
)

# Spellings of one size ("2XL" = "XXL").
SIZE_EQUIVALENTS: Final[tuple[tuple[str, ...], ...]] = (
    ("s", "small", "سمول"),
    ("m", "medium", "ميديم", "ميديوم"),
    ("l", "large", "لارج"),
    ("xxl", "2xl"),
    ("xxxl", "3xl"),
    ("xxxxl", "4xl"),
    ("freesize", "free size", "free", "onesize", "one size", "fs"),
)

# Names of one colour in vi / en / ar: "đỏ" in a comment matches a product colour "Red".
COLOR_SYNONYMS: Final[tuple[tuple[str, ...], ...]] = (
    ("đỏ", "red", "أحمر"),
    ("đen", "black", "blk", "أسود", "سوداء", "سودا", "سوده"),
    ("trắng", "white", "wht", "أبيض", "بيضاء", "بيضا"),
    ("xanh dương", "xanh nước biển", "blue", "أزرق"),
    ("xanh lá", "xanh lá cây", "green", "أخضر"),
    ("hồng", "pink", "وردي", "زهري"),
    ("vàng", "yellow", "أصفر"),
    ("nâu", "brown", "بني"),
    ("xám", "ghi", "grey", "gray", "رمادي"),
    ("be", "beige", "بيج"),
    ("tím", "purple", "بنفسجي"),
    ("cam", "orange", "برتقالي"),
    ("kem", "cream", "كريمي"),
    ("nude", "نود"),
    ("xanh navy", "navy", "كحلي", "كحلية"),
)
# fmt: on
