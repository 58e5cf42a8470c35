"""The configuration of one run: the region tree, the rules and the indicator catalogue."""

from __future__ import annotations

from pathlib import Path

from config import DEFAULT_INDICATORS_FILE, load_catalogue, load_regions, load_rules
from config.models import Catalogue, RegionTree, Rules
from edustat.fingerprint import configuration_digest


class Configuration:
    """Everything from config/ that a run needs, validated: the region tree, the rules and the catalogue (read-only).

    A plain class, not a dataclass or a model: Prefect walks dataclass and pydantic task parameters
    looking for futures, and walking a national region tree (3,000 regions) cost every task that
    takes the configuration about 0.3 s.
    """

    __slots__ = ("_regions", "_rules", "_catalogue")

    def __init__(self, regions: RegionTree, rules: Rules, catalogue: Catalogue) -> None:
        self._regions = regions
        self._rules = rules
        self._catalogue = catalogue

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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Configuration):
            return NotImplemented
        return (self.regions, self.rules, self.catalogue) == (other.regions, other.rules, other.catalogue)

    def __hash__(self) -> int:
        return hash((self.regions, self.rules, self.catalogue))

    def __repr__(self) -> str:
        return f"Configuration({len(self.regions.regions)} regions, {len(self.catalogue.indicators)} indicators)"

    def __reduce__(self) -> tuple:
        return (Configuration, (self.regions, self.rules, self.catalogue))

    def digest(self) -> str:
        """SHA-256 of this configuration and the engine's code: equal digests, equal results from equal files."""
        return configuration_digest(self.regions, self.rules, self.catalogue)


def load_configuration(regions_file: Path, indicators_file: Path = DEFAULT_INDICATORS_FILE) -> Configuration:
    """Load and validate the region file and the indicator catalogue given, and the project's rules."""
    return Configuration(regions=load_regions(Path(regions_file)), rules=load_rules(), catalogue=load_catalogue(Path(indicators_file)))
