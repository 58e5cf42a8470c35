"""The region hierarchy of config/regions.toml as typed models: one Region per province, prefecture and county."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from config.strict import Strict

RegionLevel = Literal["country", "province", "prefecture", "county"]
LEVEL_ORDER: tuple[RegionLevel, ...] = ("country", "province", "prefecture", "county")


class Region(Strict):
    """One region of the hierarchy: one row per province, prefecture or county."""

    code: str = Field(pattern=r"^\d{6}$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    level: RegionLevel
    parent_code: str | None = None
    partial: bool = False
    """Its children are not all listed (contract §1 "Partial regions"): its values cover the listed ones only."""
    partial_name_zh: str | None = Field(default=None, min_length=1)
    partial_name_en: str | None = Field(default=None, min_length=1)
    """How a partial region is shown (甘肃省（仅临夏州）); by default its name and its listed children's."""


class RegionTree(Strict):
    """The whole hierarchy: every region, with each non-top region naming a parent one level up."""

    regions: tuple[Region, ...]

    @model_validator(mode="after")
    def _check_tree(self) -> RegionTree:
        by_code: dict[str, Region] = {}
        for region in self.regions:
            if region.code in by_code:
                raise ValueError(f"region code {region.code} appears twice")
            by_code[region.code] = region
        if not any(r.level == "county" for r in self.regions):
            raise ValueError("the region file holds no county")
        for region in self.regions:
            if region.partial and region.level == "county":
                raise ValueError(
                    f"region {region.code} ({region.name_zh}), key partial: a county has no children, so it cannot be partial "
                    f"/ 区划 {region.code}（{region.name_zh}）的 partial 键：县级区划没有下级，不能标记为部分覆盖"
                )
            if not region.partial and (region.partial_name_zh or region.partial_name_en):
                raise ValueError(
                    f"region {region.code} ({region.name_zh}), key partial_name_zh/partial_name_en: only a region with partial = true has a partial name "
                    f"/ 区划 {region.code}（{region.name_zh}）的 partial_name 键：只有 partial = true 的区划才有部分覆盖名称"
                )
        for region in self.regions:
            if region.parent_code is None:
                continue
            parent = by_code.get(region.parent_code)
            if parent is None:
                raise ValueError(f"region {region.code} names parent {region.parent_code}, which is not in the file")
            if LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(region.level):
                raise ValueError(f"region {region.code} ({region.level}) has parent {parent.code} ({parent.level}) at or below its own level")
        return self

    def by_code(self) -> dict[str, Region]:
        """Regions keyed by code."""
        return {r.code: r for r in self.regions}

    def shown_names(self) -> dict[str, tuple[str, str]]:
        """(zh, en) name under which each region's values are shown: a partial region's says it covers its listed children only."""
        children: dict[str, list[Region]] = {}
        for r in self.regions:
            if r.parent_code is not None:
                children.setdefault(r.parent_code, []).append(r)
        names: dict[str, tuple[str, str]] = {}
        for r in self.regions:
            if not r.partial:
                names[r.code] = (r.name_zh, r.name_en)
                continue
            listed = children.get(r.code, [])
            zh = r.partial_name_zh or f"{r.name_zh}（仅{'、'.join(c.name_zh for c in listed)}）"
            en = r.partial_name_en or f"{r.name_en} ({', '.join(c.name_en for c in listed)} only)"
            names[r.code] = (zh, en)
        return names

    def county_codes(self) -> frozenset[str]:
        """Codes of every county-level region."""
        return frozenset(r.code for r in self.regions if r.level == "county")

    def ancestry(self) -> list[tuple[str, str, str]]:
        """(county_code, region_code, region_level) for every county and each of its ancestors, itself included."""
        by_code = self.by_code()
        rows: list[tuple[str, str, str]] = []
        for county in (r for r in self.regions if r.level == "county"):
            current: Region | None = county
            while current is not None:
                rows.append((county.code, current.code, current.level))
                current = by_code.get(current.parent_code) if current.parent_code else None
        return rows
