"""Measures: pure functions from store tables to tidy DataFrames, one concern per module."""
