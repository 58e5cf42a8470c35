"""`python -m edustat.cli`: the same entry point as the `edustat` script."""

from edustat.cli import main

main()
