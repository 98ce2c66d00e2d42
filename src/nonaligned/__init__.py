"""nonaligned: measure, evaluate and check active nonalignment between the great powers."""

__version__ = "0.1.0"
