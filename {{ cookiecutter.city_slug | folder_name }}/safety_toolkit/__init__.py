"""The Public Safety Data Toolkit: fetch a city's police data, standardize it, and report on it."""

__version__ = "0.1.0"
