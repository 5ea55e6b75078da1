#!/usr/bin/env python
"""Django's manage.py; `thidua` (see thidua/__main__.py) is the same thing, installed on PATH."""

from thidua.__main__ import main

if __name__ == "__main__":
    main()
