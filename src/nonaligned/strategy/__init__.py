"""The strategy desk (BRIEF section 6): competing offers on their own terms, exposure,
leverage, and scenarios. docs/strategy.md documents every convention and formula.

Python API (each call validates the whole offers document first; a document
is a path, a TOML string or a parsed mapping):

* :func:`nonaligned.strategy.evaluate.evaluate` - one row per offer: grant
  element, present value, debt service, exposure before and after;
* :func:`nonaligned.strategy.evaluate.schedules` - every loan's schedule;
* :func:`nonaligned.strategy.evaluate.exposure` - debt, the partner's net aid flow and
  trade exposure per offer.
"""
