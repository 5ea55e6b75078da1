"""Vietnamese names, ethnicities and CCCD numbers for the demo and the synthetic province.

The weights follow the rough shares seen in the Mekong delta (Nguyễn about a third; Huỳnh and Võ more
common than Hoàng and Vũ in the South; "Văn" and "Thị" the usual middle names). They are for realistic
looking test data only, not statistics.

Every function takes the caller's ``random.Random`` so that a seed gives the same names every time.
"""

import datetime
import itertools
import random
import unicodedata
from collections.abc import Sequence

from thidua.organizations.enums import Gender


def _weighted(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    """Values (NFC, whatever the editor saved) and cumulative weights for ``Random.choices``."""
    values = [unicodedata.normalize("NFC", value) for value, _ in pairs]
    return values, list(itertools.accumulate(weight for _, weight in pairs))


FAMILY_NAMES = _weighted(
    [
        ("Nguyễn", 31), ("Trần", 10), ("Lê", 9), ("Phạm", 5.5), ("Huỳnh", 5), ("Võ", 5), ("Phan", 4),
        ("Trương", 2.2), ("Bùi", 2), ("Đặng", 2), ("Đỗ", 1.5), ("Ngô", 1.5), ("Hồ", 2), ("Dương", 1.5),
        ("Lý", 1), ("Lâm", 1), ("Đinh", 1), ("Hoàng", 1.5), ("Vũ", 1), ("Tô", 0.6), ("Châu", 0.6),
        ("Cao", 0.7), ("Mai", 0.7), ("Tạ", 0.3), ("Lương", 0.6), ("Đoàn", 0.8), ("Thái", 0.5),
        ("Kiều", 0.2), ("Lưu", 0.4), ("Văn", 0.3), ("Trịnh", 0.5), ("Tống", 0.2),
        ("Hà", 0.4), ("La", 0.2), ("Quách", 0.2), ("Diệp", 0.1), ("Từ", 0.2), ("Khưu", 0.1),
    ]
)

MIDDLE_NAMES = {
    Gender.MALE: _weighted(
        [
            ("Văn", 34), ("Minh", 8), ("Thanh", 6), ("Hoàng", 4), ("Quốc", 6), ("Hữu", 6), ("Đức", 4),
            ("Công", 4), ("Ngọc", 3), ("Tấn", 5), ("Trung", 2), ("Xuân", 2), ("Thành", 3), ("Chí", 3),
            ("Phước", 2), ("Hoài", 2), ("Trọng", 2), ("Duy", 2), ("Anh", 2), ("Hồng", 1), ("Quang", 3),
            ("Kim", 1), ("Nhật", 1), ("Gia", 1), ("Văn Minh", 0.5), ("Thanh Tâm", 0.3), ("Bảo", 1),
        ]
    ),
    Gender.FEMALE: _weighted(
        [
            ("Thị", 38), ("Ngọc", 8), ("Thanh", 5), ("Thu", 4), ("Kim", 4), ("Mỹ", 4), ("Hồng", 3),
            ("Minh", 2), ("Phương", 2), ("Bích", 2), ("Thị Ngọc", 4), ("Thị Thanh", 3), ("Thị Kim", 3),
            ("Thị Mỹ", 2), ("Thị Hồng", 2), ("Thùy", 2), ("Diễm", 1), ("Hoàng", 1), ("Tuyết", 1),
            ("Quỳnh", 1), ("Bảo", 1), ("Cẩm", 1), ("Thị Thu", 2), ("Ánh", 0.5), ("Huỳnh", 0.3),
        ]
    ),
}

GIVEN_NAMES = {
    Gender.MALE: _weighted(
        [
            (name, 1)
            for name in (
                "An Anh Bảo Bình Cường Chiến Dũng Duy Đạt Định Đông Đức Giang Hải Hào Hậu Hiếu Hiển Hòa "
                "Hoàng Hùng Huy Hưng Khải Khang Khánh Khoa Kiên Lâm Lộc Lợi Long Luân Lực Minh Nam Nghĩa "
                "Nhân Nhựt Nhơn Phát Phong Phúc Phước Quang Quân Quý Sang Sơn Tài Tâm Tân Thái Thắng Thành "
                "Thiện Thịnh Thông Thuận Toàn Trí Triều Trung Trường Tuấn Tùng Tú Vinh Vũ Vương Xuân Tín "
                "Nghiêm Hiệp Thạch Trọng Danh Khiêm Tuyền Thoại Hạnh Lễ Nguyên Đạo Sỹ"
            ).split()
        ]
        + [("Tuấn", 2), ("Hùng", 2), ("Dũng", 2), ("Minh", 2), ("Thành", 2), ("Phúc", 1.5), ("Hải", 1.5)]
    ),
    Gender.FEMALE: _weighted(
        [
            (name, 1)
            for name in (
                "An Anh Ánh Bích Châu Chi Diễm Diệu Dung Duyên Giang Hà Hạnh Hằng Hân Hiền Hoa Hồng Huệ "
                "Hương Huyền Khánh Kiều Lan Liên Linh Loan Ly Mai My Nga Ngân Ngọc Nguyệt Nhàn Nhi Nhung "
                "Oanh Phương Phượng Quyên Quỳnh Thảo Thanh Thắm Thủy Thúy Thư Tiên Trang Trâm Trinh Tuyết "
                "Uyên Vân Vy Xuân Yến Hậu Lệ Mến Nhân Thơ Tâm Thu Thương Cúc Đào Hiếu Như Quế Sương"
            ).split()
        ]
        + [("Trang", 2), ("Linh", 2), ("Thảo", 2), ("Hương", 2), ("Ngọc", 1.5), ("Phương", 1.5)]
    ),
}

# Families of Chinese (Hoa) and Khmer descent keep a few family names of their own; the rest of the
# name is usually Vietnamese.
HOA_FAMILY_NAMES = _weighted([(n, 1) for n in ("Lý", "Lâm", "Trịnh", "Quách", "La", "Mã", "Tăng", "Hứa", "Diệp", "Lưu", "Châu", "Thái")])
KHMER_FAMILY_NAMES = _weighted([("Thạch", 4), ("Sơn", 3), ("Kim", 2), ("Danh", 2), ("Lâm", 1), ("Trà", 1), ("Châu", 1), ("Chau", 0.5)])
KHMER_GIVEN_NAMES = _weighted([(n, 1) for n in ("Sóc", "Phol", "Thol", "Kha", "Ny", "Chanh", "Mây", "Sết", "Rết", "Đa", "Phia", "Sa", "Sane", "Ri")])

ETHNICITIES = _weighted([("Kinh", 96.6), ("Hoa", 1.6), ("Khmer", 1.4), ("Chăm", 0.15), ("Tày", 0.1), ("Mường", 0.1), ("Nùng", 0.05)])


def pick(rng: random.Random, weighted: tuple[list[str], list[float]]) -> str:
    values, cumulative = weighted
    return rng.choices(values, cum_weights=cumulative, k=1)[0]


def pick_gender(rng: random.Random, female_share: float = 0.5) -> str:
    return Gender.FEMALE if rng.random() < female_share else Gender.MALE


def pick_ethnicity(rng: random.Random) -> str:
    return pick(rng, ETHNICITIES)


def person_name(rng: random.Random, gender: str, ethnicity: str = "Kinh") -> tuple[str, str, str]:
    """(family, middle, given) for a person of this gender and ethnicity."""
    gender = Gender(gender)
    if ethnicity == "Hoa":
        family = pick(rng, HOA_FAMILY_NAMES)
    elif ethnicity == "Khmer":
        family = pick(rng, KHMER_FAMILY_NAMES)
    else:
        family = pick(rng, FAMILY_NAMES)
    middle = pick(rng, MIDDLE_NAMES[gender])
    if ethnicity == "Khmer" and rng.random() < 0.6:
        given = pick(rng, KHMER_GIVEN_NAMES)
    else:
        given = pick(rng, GIVEN_NAMES[gender])
    return family, middle, given


def birth_date(rng: random.Random, *, born_from: datetime.date, born_to: datetime.date) -> datetime.date:
    span = (born_to - born_from).days
    return born_from + datetime.timedelta(days=rng.randrange(span + 1))


def cccd(rng: random.Random, *, province_code: str, gender: str, born: datetime.date, taken: set[str]) -> str:
    """A 12-digit citizen ID laid out like the real ones: birth-registration province (3 digits),
    gender and century (0/1 male/female born 1900–1999, 2/3 born 2000–2099), the year's last two digits,
    then six random digits; never one already in ``taken`` (which it extends)."""
    century_digit = (0 if born.year < 2000 else 2) + (1 if gender == Gender.FEMALE else 0)
    prefix = f"{province_code}{century_digit}{born.year % 100:02d}"
    while True:
        number = f"{prefix}{rng.randrange(1_000_000):06d}"
        if number not in taken:
            taken.add(number)
            return number
