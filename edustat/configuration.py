"""The configuration of one run: the region tree, the rules, the indicator catalogue and the relationship checks."""

from __future__ import annotations

from pathlib import Path

from config import DEFAULT_CHECKS_FILE, DEFAULT_INDICATORS_FILE, Catalogue, Checks, RegionTree, Rules, load_regions
from edustat.fingerprint import configuration_digest
from schemas.catalogue import load_catalogue, load_checks
from schemas.rules import load_rules


class Configuration:
    """Everything from config/ that a run needs, validated: the region tree, the rules, the catalogue and the checks (read-only).

    A plain class, not a dataclass or a model: Prefect walks dataclass and pydantic task parameters
    looking for futures, and walking a national region tree (3,000 regions) cost every task that
    takes the configuration about 0.3 s.
    """

    __slots__ = ("_regions", "_rules", "_catalogue", "_checks")

    def __init__(self, regions: RegionTree, rules: Rules, catalogue: Catalogue, checks: Checks | None = None) -> None:
        self._regions = regions
        self._rules = rules
        self._catalogue = catalogue
        self._checks = checks if checks is not None else load_checks()

    @property
    def regions(self) -> RegionTree:
        """The region tree."""
        return self._regions

    @property
    def rules(self) -> Rules:
        """Stages, school types, thresholds, standards and targets."""
        return self._rules

    @property
    def catalogue(self) -> Catalogue:
        """The indicator catalogue."""
        return self._catalogue

    @property
    def checks(self) -> Checks:
        """The relationship checks (config/checks.toml or the file of --checks)."""
        return self._checks

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Configuration):
            return NotImplemented
        return (self.regions, self.rules, self.catalogue, self.checks) == (other.regions, other.rules, other.catalogue, other.checks)

    def __hash__(self) -> int:
        return hash((self.regions, self.rules, self.catalogue, self.checks))

    def __repr__(self) -> str:
        return f"Configuration({len(self.regions.regions)} regions, {len(self.catalogue.indicators)} indicators, {len(self.checks.checks)} checks)"

    def __reduce__(self) -> tuple:
        return (Configuration, (self.regions, self.rules, self.catalogue, self.checks))

    def digest(self) -> str:
        """SHA-256 of this configuration and the engine's code: equal digests, equal results from equal files."""
        return configuration_digest(self.regions, self.rules, self.catalogue, self.checks)


def load_configuration(
    regions_file: Path, indicators_file: Path = DEFAULT_INDICATORS_FILE, checks_file: Path = DEFAULT_CHECKS_FILE
) -> Configuration:
    """Load and validate the region file, the indicator catalogue and the checks file given, and the project's rules."""
    return Configuration(
        regions=load_regions(Path(regions_file)), rules=load_rules(), catalogue=load_catalogue(Path(indicators_file)), checks=load_checks(Path(checks_file))
    )
