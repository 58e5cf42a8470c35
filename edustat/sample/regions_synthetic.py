"""A synthetic region tree of any size: real province codes and names, made-up prefectures and counties (no I/O)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from config import Region, RegionTree
from edustat.sample.calibrate import split_total

PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("11", "北京市", "Beijing"), ("12", "天津市", "Tianjin"), ("13", "河北省", "Hebei"), ("14", "山西省", "Shanxi"),
    ("15", "内蒙古自治区", "Inner Mongolia"), ("21", "辽宁省", "Liaoning"), ("22", "吉林省", "Jilin"),
    ("23", "黑龙江省", "Heilongjiang"), ("31", "上海市", "Shanghai"), ("32", "江苏省", "Jiangsu"), ("33", "浙江省", "Zhejiang"),
    ("34", "安徽省", "Anhui"), ("35", "福建省", "Fujian"), ("36", "江西省", "Jiangxi"), ("37", "山东省", "Shandong"),
    ("41", "河南省", "Henan"), ("42", "湖北省", "Hubei"), ("43", "湖南省", "Hunan"), ("44", "广东省", "Guangdong"),
    ("45", "广西壮族自治区", "Guangxi"), ("46", "海南省", "Hainan"), ("50", "重庆市", "Chongqing"), ("51", "四川省", "Sichuan"),
    ("52", "贵州省", "Guizhou"), ("53", "云南省", "Yunnan"), ("54", "西藏自治区", "Tibet"), ("61", "陕西省", "Shaanxi"),
    ("62", "甘肃省", "Gansu"), ("63", "青海省", "Qinghai"), ("64", "宁夏回族自治区", "Ningxia"), ("65", "新疆维吾尔自治区", "Xinjiang"),
)
"""The 31 provincial-level units of mainland China: (two-digit code, Chinese name, English name)."""

MAX_CHILDREN = 99
"""Two digits of a six-digit code number the prefectures of a province and the counties of a prefecture."""

_NAME_FIRST = "安宝昌长成大德定东丰福高广海和华怀惠吉嘉建江金靖康乐临隆龙民明宁平庆仁荣瑞山上寿顺泰天通文西祥新兴阳永玉元云镇正中"
_NAME_SECOND = "安昌城川德定丰阜和河化华江靖康乐林陵宁平浦清泉山水顺泰台乡兴阳源远州"


@dataclass(frozen=True)
class TreeSize:
    """How many regions a synthetic tree has at each level (one TreeSize per tree)."""

    provinces: int
    prefectures: int
    counties: int


NATIONAL = TreeSize(provinces=31, prefectures=330, counties=2800)
"""Roughly China's shape: 31 provinces, about 330 prefectures and 2,800 county-level units."""

PROVINCE = TreeSize(provinces=1, prefectures=12, counties=100)
"""One mid-sized province."""

COUNTIES_PER_PREFECTURE = NATIONAL.counties / NATIONAL.prefectures
PREFECTURES_PER_PROVINCE = NATIONAL.prefectures / NATIONAL.provinces


def size_for_counties(counties: int) -> TreeSize:
    """A tree shaped like the national one but with ``counties`` counties (at least one of everything)."""
    counties = max(1, counties)
    prefectures = max(1, min(counties, round(counties / COUNTIES_PER_PREFECTURE)))
    provinces = max(1, min(len(PROVINCES), prefectures, round(prefectures / PREFECTURES_PER_PROVINCE)))
    return TreeSize(provinces=provinces, prefectures=prefectures, counties=counties)


def _weights(rng: random.Random, n: int) -> list[float]:
    return [rng.uniform(0.5, 1.5) for _ in range(n)]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` children over ``parts`` parents: at least 1 and at most MAX_CHILDREN each."""
    if total > parts * MAX_CHILDREN:
        raise ValueError(f"{total} regions do not fit under {parts} parents with two-digit codes")
    counts = [1 + n for n in split_total(total - parts, _weights(rng, parts))]
    # Move any overflow (a parent above the two-digit limit) to the parents with room, in order.
    extra = sum(max(0, c - MAX_CHILDREN) for c in counts)
    counts = [min(c, MAX_CHILDREN) for c in counts]
    for i in range(parts):
        room = MAX_CHILDREN - counts[i]
        take = min(room, extra)
        counts[i] += take
        extra -= take
    return counts


def _place_name(rng: random.Random, used: set[str], suffix: str) -> str:
    for _ in range(200):
        name = rng.choice(_NAME_FIRST) + rng.choice(_NAME_SECOND) + suffix
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(_NAME_FIRST)}{len(used)}{suffix}"
    used.add(name)
    return name


def synthetic_tree(size: TreeSize, seed: int = 2021) -> RegionTree:
    """A province → prefecture → county tree of ``size``: one Region per region, deterministic in ``seed``.

    Provinces carry their real codes and names (taken in code order); prefectures are coded
    PPxx00 and counties PPxxyy below them, with made-up names (xx市, yy县).
    """
    if size.provinces > len(PROVINCES):
        raise ValueError(f"at most {len(PROVINCES)} provinces")
    rng = random.Random(f"{seed}|synthetic-tree|{size}")
    prefectures_of = _split(size.prefectures, size.provinces, rng)
    counties_of = _split(size.counties, size.prefectures, rng)
    regions: list[Region] = []
    used: set[str] = set()
    prefecture_index = 0
    for (head, name_zh, name_en), n_prefectures in zip(PROVINCES, prefectures_of, strict=False):
        province_code = f"{head}0000"
        regions.append(Region(code=province_code, name_zh=name_zh, name_en=name_en, level="province"))
        for p in range(1, n_prefectures + 1):
            prefecture_code = f"{head}{p:02d}00"
            prefecture_name = _place_name(rng, used, "市")
            regions.append(
                Region(code=prefecture_code, name_zh=prefecture_name, name_en=f"Prefecture {prefecture_code}",
                       level="prefecture", parent_code=province_code)
            )
            for c in range(1, counties_of[prefecture_index] + 1):
                county_code = f"{head}{p:02d}{c:02d}"
                regions.append(
                    Region(code=county_code, name_zh=_place_name(rng, used, "县" if c > 1 else "区"),
                           name_en=f"County {county_code}", level="county", parent_code=prefecture_code)
                )
            prefecture_index += 1
    return RegionTree(regions=tuple(regions))


def tree_toml(tree: RegionTree) -> str:
    """The region file (config/regions.toml format) of ``tree``: one [[region]] table per region."""
    lines = ["# A synthetic region tree written by `edustat sample`; pass it with --regions.", ""]
    for region in tree.regions:
        lines.append("[[region]]")
        lines.append(f'code = "{region.code}"')
        lines.append(f'name_zh = "{region.name_zh}"')
        lines.append(f'name_en = "{region.name_en}"')
        lines.append(f'level = "{region.level}"')
        if region.parent_code is not None:
            lines.append(f'parent_code = "{region.parent_code}"')
        lines.append("")
    return "\n".join(lines)
