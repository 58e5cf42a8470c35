"""Ingest: from a year's input folder to staged tables and a frame of validation issues."""
