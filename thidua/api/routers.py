"""Registers every domain router on the API object."""

from thidua.api import auth_router, imports, people, units
from thidua.api.urls import api

api.add_router("/auth", auth_router.router)
api.add_router("/units", units.router)
api.add_router("/people", people.router)
api.add_router("/imports", imports.router)

from thidua.api import rules as rules_api  # noqa: E402  (appended: /eligibility and /money)

api.add_router("", rules_api.router)

from thidua.api import records as records_api  # noqa: E402  (appended: ratings, initiatives, disciplines, award history)

api.add_router("", records_api.router)

from thidua.api import records_imports  # noqa: E402  (appended: Excel import of evidence)

api.add_router("/imports", records_imports.router)

from thidua.api import movements as movements_api  # noqa: E402  (appended: movements, transitions, registrations)

api.add_router("/movements", movements_api.router)

from thidua.api import nominations as nominations_api  # noqa: E402  (appended: rounds, dossiers, attachments, transitions)

api.add_router("", nominations_api.router)

from thidua.council import api as council_api  # noqa: E402  (appended: council sessions, secret ballots, tallies)

api.add_router("", council_api.router)

from thidua.decisions import api as decisions_api  # noqa: E402  (appended: decisions, certificates, payments, revocation, verification)

api.add_router("", decisions_api.router)
api.add_router("", decisions_api.public_router)

from thidua.reports import api as reports_api  # noqa: E402  (appended: statistics, standard forms, award history)

api.add_router("", reports_api.router)

from thidua.exemplars import api as exemplars_api  # noqa: E402  (appended: exemplars, conferences, presentations, reviews)

api.add_router("", exemplars_api.router)
