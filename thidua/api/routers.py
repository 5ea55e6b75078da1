"""Registers every domain router on the API object."""
