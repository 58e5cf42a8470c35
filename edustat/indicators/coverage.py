"""Fail fast when the catalogue and the implemented indicators drift apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from config import Catalogue


class CatalogueCoverageError(ValueError):
    """The catalogue lists a code nobody computes, or the engine computes a code the catalogue lacks."""


def check_catalogue_coverage(catalogue: Catalogue, produced_codes: Mapping[str, str] | Iterable[str]) -> None:
    """Raise CatalogueCoverageError unless ``produced_codes`` are exactly the catalogue's codes.

    With a mapping code → kind, each produced kind must also match the catalogue's kind.
    """
    produced = dict(produced_codes) if isinstance(produced_codes, Mapping) else dict.fromkeys(produced_codes)
    by_code = catalogue.by_code()
    problems = []
    missing = [code for code in by_code if code not in produced]
    if missing:
        problems.append(f"catalogue codes without an implementation: {missing}")
    extra = sorted(code for code in produced if code not in by_code)
    if extra:
        problems.append(f"implemented codes missing from the catalogue: {extra}")
    wrong_kind = sorted(
        f"{code} (catalogue {by_code[code].kind}, implemented {kind})"
        for code, kind in produced.items()
        if kind is not None and code in by_code and by_code[code].kind != kind
    )
    if wrong_kind:
        problems.append(f"kinds differ: {wrong_kind}")
    if problems:
        raise CatalogueCoverageError("; ".join(problems))
