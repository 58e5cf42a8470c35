"""The configuration of one run: the region tree, the rules and the indicator catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config import load_catalogue, load_regions, load_rules
from config.models import Catalogue, RegionTree, Rules
from edustat.fingerprint import configuration_digest


@dataclass(frozen=True)
class Configuration:
    """Everything from config/ that a run needs, validated."""

    regions: RegionTree
    rules: Rules
    catalogue: Catalogue

    def digest(self) -> str:
        """SHA-256 of this configuration and the engine's code: equal digests, equal results from equal files."""
        return configuration_digest(self.regions, self.rules, self.catalogue)


def load_configuration(regions_file: Path) -> Configuration:
    """Load and validate the region file given and the project's rules and catalogue."""
    return Configuration(regions=load_regions(Path(regions_file)), rules=load_rules(), catalogue=load_catalogue())
