"""Run-time plumbing of a run: the year's concurrency slot and its lease, parse progress, the local Prefect server and
client, quiet Prefect logging, parse worker processes, stop signals and the tests' pause points (imports config/ at most)."""
