"""Registers every domain router on the API object."""

from thidua.api import auth_router, imports, people, units
from thidua.api.urls import api

api.add_router("/auth", auth_router.router)
api.add_router("/units", units.router)
api.add_router("/people", people.router)
api.add_router("/imports", imports.router)
