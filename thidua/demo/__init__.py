"""Demo data and the synthetic province: `thidua demo` and `thidua synth` build their rows here.

A plain package, not a Django app: it has no models, only code that writes through the services.
"""
