"""The NAPAS bank list (bank BINs) as data, and look-ups by BIN or name.

A VietQR code names the receiving bank by its 6-digit NAPAS BIN (the "acquirer ID" in field 38).
Sources, cross-checked (docs/payments.md has the links):

- xuannghia/vietnam-qr-pay: src/constants/banks.ts (MIT) — BIN, legal name, SWIFT code;
- vietqr.io "API danh sách ngân hàng" (https://www.vietqr.io/api-bank) — ACB 970416, ABBANK 970425,
  BIDV 970418 in its examples;
- pub.dev vietqr_gen `Bank` enum — the same BINs for the 30 banks it lists;
- the NAPAS specification examples use Sacombank 970403 (docs/payments.md).

Only banks whose BIN is in the 9704xx NAPAS range, plus the digital banks that scan and receive
VietQR under their own BIN, are listed. A bank missing here can still be used with `--bin`.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.errors import UnknownBank


@dataclass(frozen=True, slots=True)
class Bank:
    """One bank of the NAPAS network.

    Attributes:
        bin: the 6-digit NAPAS BIN written in VietQR field 38.
        short_name: the name sellers and apps use ("Vietcombank").
        name: the legal Vietnamese name.
        swift: the SWIFT/BIC code, or "" when the bank has none listed.
        aliases: extra upper-case names sellers type ("VCB").
    """

    bin: str
    short_name: str
    name: str
    swift: str = ""
    aliases: tuple[str, ...] = ()


BANKS: tuple[Bank, ...] = (
    Bank("970436", "Vietcombank", "Ngân hàng TMCP Ngoại Thương Việt Nam", "BFTVVNVX", ("VCB",)),
    Bank("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam", "ICBVVNVX", ("CTG", "ICB")),
    Bank("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", "BIDVVNVX"),
    Bank(
        "970405",
        "Agribank",
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
        "VBAAVNVX",
        ("VBA",),
    ),
    Bank("970422", "MB", "Ngân hàng TMCP Quân đội", "MSCBVNVX", ("MBBANK", "MBB")),
    Bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam", "VTCBVNVX", ("TCB",)),
    Bank("970416", "ACB", "Ngân hàng TMCP Á Châu", "ASCBVNVX"),
    Bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng", "VPBKVNVX", ("VPB",)),
    Bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong", "TPBVVNVX", ("TPB",)),
    Bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín", "SGTTVNVX", ("STB",)),
    Bank("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh", "HDBCVNVX"),
    Bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam", "VNIBVNVX"),
    Bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội", "SHBAVNVX"),
    Bank("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam", "EBVIVNVX", ("EIB",)),
    Bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải", "MCOBVNVX"),
    Bank("970448", "OCB", "Ngân hàng TMCP Phương Đông", "ORCOVNVX"),
    Bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á", "SEAVVNVX"),
    Bank(
        "970449",
        "LPBank",
        "Ngân hàng TMCP Lộc Phát Việt Nam (trước đây Bưu Điện Liên Việt)",
        "LVBKVNVX",
        ("LIENVIETPOSTBANK", "LPB"),
    ),
    Bank("970425", "ABBANK", "Ngân hàng TMCP An Bình", "ABBKVNVX"),
    Bank("970409", "BacABank", "Ngân hàng TMCP Bắc Á", "NASCVNVX"),
    Bank("970438", "BaoVietBank", "Ngân hàng TMCP Bảo Việt", "BVBVVNVX"),
    Bank(
        "970454",
        "BVBank",
        "Ngân hàng TMCP Bản Việt",
        "VCBCVNVX",
        ("VIETCAPITALBANK", "VCCB"),
    ),
    Bank("970428", "NamABank", "Ngân hàng TMCP Nam Á", "NAMAVNVX"),
    Bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân", "NVBAVNVX"),
    Bank("970414", "OceanBank", "Ngân hàng Thương mại TNHH MTV Đại Dương", ""),
    Bank("970430", "PGBank", "Ngân hàng TMCP Xăng dầu Petrolimex", "PGBLVNVX"),
    Bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam", "WBVNVNVX"),
    Bank("970400", "SaigonBank", "Ngân hàng TMCP Sài Gòn Công Thương", "SBITVNVX"),
    Bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn", "SACLVNVX"),
    Bank("970424", "ShinhanBank", "Ngân hàng TNHH MTV Shinhan Việt Nam", "SHBKVNVX"),
    Bank("970427", "VietABank", "Ngân hàng TMCP Việt Á", "VNACVNVX"),
    Bank("970433", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín", "VNTTVNVX"),
    Bank("970452", "KienLongBank", "Ngân hàng TMCP Kiên Long", "KLBKVNVX"),
    Bank("970446", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam", "", ("COOPBANK",)),
    Bank("970406", "DongABank", "Ngân hàng TMCP Đông Á", "EACBVNVX"),
    Bank("970408", "GPBank", "Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu", "GBNKVNVX"),
    Bank("970444", "CBBank", "Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam", "GTBAVNVX"),
    Bank("970442", "HongLeong", "Ngân hàng TNHH MTV Hong Leong Việt Nam", "HLBBVNVX"),
    Bank("970439", "PublicBank", "Ngân hàng TNHH MTV Public Việt Nam", "VIDPVNVX"),
    Bank(
        "970410", "StandardChartered", "Ngân hàng TNHH MTV Standard Chartered Việt Nam", "SCBLVNVX"
    ),
    Bank("970434", "IndovinaBank", "Ngân hàng TNHH Indovina", ""),
    Bank("970421", "VRB", "Ngân hàng Liên doanh Việt - Nga", ""),
    Bank("970457", "Woori", "Ngân hàng TNHH MTV Woori Việt Nam", ""),
    Bank("970458", "UnitedOverseas", "Ngân hàng United Overseas - Chi nhánh TP. Hồ Chí Minh", ""),
    Bank("970455", "IBK HN", "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Hà Nội", ""),
    Bank("970456", "IBK HCM", "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh TP. Hồ Chí Minh", ""),
    Bank("970462", "KookminHN", "Ngân hàng Kookmin - Chi nhánh Hà Nội", ""),
    Bank("970463", "KookminHCM", "Ngân hàng Kookmin - Chi nhánh TP. Hồ Chí Minh", ""),
    Bank("546034", "CAKE", "Ngân hàng số CAKE by VPBank", ""),
    Bank("546035", "Ubank", "Ngân hàng số Ubank by VPBank", ""),
)

_BY_BIN: dict[str, Bank] = {bank.bin: bank for bank in BANKS}


def _key(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


_BY_NAME: dict[str, Bank] = {
    _key(name): bank for bank in BANKS for name in (bank.short_name, *bank.aliases)
}


def bank_by_bin(bin_code: str) -> Bank | None:
    """Return the bank with this NAPAS BIN, or None when it is not in the list."""
    return _BY_BIN.get(bin_code.strip())


def find_bank(text: str) -> Bank:
    """Find a bank by BIN (``970436``), short name (``Vietcombank``) or alias (``VCB``).

    Raises:
        UnknownBank: when nothing matches.
    """
    bank = bank_by_bin(text) or _BY_NAME.get(_key(text))
    if bank is None:
        raise UnknownBank(
            f"no bank {text!r} in the NAPAS list",
            hint="give the 6-digit BIN from your banking app (e.g. 970436 for Vietcombank)",
        )
    return bank
