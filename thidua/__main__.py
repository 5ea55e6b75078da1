"""The `thidua` console command: Django's management commands under the project's name.

`thidua demo`, `thidua synth`, `thidua migrate`, `thidua check --deploy` … all go through here, so an
installed thidua needs neither `manage.py` nor a DJANGO_SETTINGS_MODULE in the environment.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thidua", *sys.argv[1:]])


if __name__ == "__main__":
    main()
