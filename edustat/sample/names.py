"""Made-up but plausible Chinese township and school names."""

from __future__ import annotations

import random

_FIRST = "马王李杨张何韩刘陈赵苏石白红青金新老大小上下前后东西南北中高双三五八土水草花柳"
_SECOND = "家台沟湾坪川庄岭坡滩塬集寨铺河山峡堡窑岔源泉营关"
_BRANDS = (
    "阳光", "启航", "小天使", "博雅", "育才", "金太阳", "童心", "蓓蕾", "春苗", "星星", "彩虹", "爱心", "育英",
    "小树苗", "七色花", "智慧树", "快乐", "明德", "贝贝", "童乐", "新苗", "希望", "好孩子", "乐乐", "晨光",
    "向日葵", "蒲公英", "欣欣", "和乐", "雨露", "红太阳", "聪聪", "康乐宝贝", "百灵鸟", "小精灵", "花朵", "金钥匙",
    "未来星", "英才", "小博士", "童话", "艺星", "天天", "光明", "晨曦", "朝阳", "梦想", "开心", "锦绣", "丽景",
)
_ORDINALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """Chinese ordinal digits for 1–99 (第二, 第十二, 第二十一)."""
    if n <= 10:
        return _ORDINALS[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _ORDINALS[tens - 1]) + "十" + (_ORDINALS[units - 1] if units else "")


def place(rng: random.Random) -> str:
    """A two-character place name (马家, 石岭)."""
    return rng.choice(_FIRST) + rng.choice(_SECOND)


def townships(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct township names, towns (镇) first, then 乡."""
    names: list[str] = []
    while len(names) < count:
        name = place(rng) + ("镇" if len(names) < count * 0.45 else "乡")
        if name[:2] not in {n[:2] for n in names}:
            names.append(name)
    return names


class SchoolNamer:
    """Gives each school of one county a unique name that fits its kind and area."""

    def __init__(self, county_name: str, prefecture_name: str, towns: list[str], rng: random.Random) -> None:
        self.county = county_name
        self.prefecture = prefecture_name
        self.towns = towns
        self.rng = rng
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}

    def _next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def _unique(self, make) -> str:
        for _ in range(50):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        name = f"{make()}{ordinal(self._next('dup') % 99 + 1)}校区"
        self.used.add(name)
        return name

    def name(self, kind: str, area: str) -> str:
        """A fresh school name for a school of ``kind`` in ``area`` (urban, town or rural)."""
        rng, county = self.rng, self.county
        town_of = lambda: rng.choice(self.towns)  # noqa: E731
        village = lambda: place(rng)  # noqa: E731
        makers = {
            "kg_public": {
                "urban": lambda: f"{county}第{ordinal(self._next('kg') % 99 + 1)}幼儿园",
                "town": lambda: f"{county}{town_of()}{rng.choice(['中心', '第二', '第三', '城关'])}幼儿园",
                "rural": lambda: f"{county}{town_of()}{village()}村幼儿园",
            },
            "primary": {
                "urban": lambda: f"{county}第{ordinal(self._next('pri') % 99 + 1)}小学",
                "town": lambda: f"{county}{town_of()}{rng.choice(['中心', '第二', '第三', '城关', '回民'])}小学",
                "rural": lambda: f"{county}{town_of()}{village()}小学",
            },
            "junior": {
                "urban": lambda: f"{county}第{ordinal(self._next('jun') % 99 + 1)}初级中学",
                "town": lambda: f"{county}{town_of()}初级中学",
                "rural": lambda: f"{county}{town_of()}{village()}初级中学",
            },
        }
        if kind in ("kg_inclusive", "kg_private"):
            return self._unique(lambda: f"{county}{rng.choice(_BRANDS)}幼儿园")
        if kind in makers:
            return self._unique(makers[kind][area])
        simple = {
            "primary_private": lambda: f"{county}{rng.choice(_BRANDS)}学校",
            "junior_private": lambda: f"{county}{rng.choice(_BRANDS)}中学",
            "senior_private": lambda: f"{county}{rng.choice(_BRANDS)}高级中学",
            "teaching_point": lambda: f"{county}{town_of()}{village()}教学点",
            "nine_year": lambda: f"{county}{town_of()}{village()}九年制学校",
            "complete": lambda: f"{county}第{ordinal(self._next('mid') % 99 + 1)}中学",
            "senior": lambda: f"{county}{rng.choice(['', '第二', '第三', '第四', '第五', '民族', '回民'])}高级中学",
            "twelve_year": lambda: f"{county}{town_of()}十二年制学校",
            "vocational": lambda: f"{county}{rng.choice(['职业技术教育中心', '职业中等专业学校', '技工学校', '职业高级中学'])}",
            "higher_vocational": lambda: f"{self.prefecture}现代职业学院",
            "special": lambda: f"{county}{rng.choice(['特殊教育学校', '培智学校'])}",
        }
        return self._unique(simple[kind])
