import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")

application = get_wsgi_application()

from thidua.accounts.checks import refuse_demo_passwords  # noqa: E402  (needs the app registry)

refuse_demo_passwords()
