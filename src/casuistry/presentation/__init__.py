"""How casuistry shows things to people: texts, times, colours and missing values.

Both the pictures (:mod:`casuistry.viz`) and the reports
(:mod:`casuistry.reporting`) use this layer, as do the CLI summary and the
corpus tables; it imports neither of them.

- :mod:`~casuistry.presentation.texts`: every user-facing word in Dutch and
  English (the data files in ``presentation/data``), with one plural rule and
  the one list of languages.
- :mod:`~casuistry.presentation.clock`: how the times of a case are written.
- :mod:`~casuistry.presentation.palette`: every colour, each defined once.
- :mod:`~casuistry.presentation.missing`: how a missing value is shown.
- :mod:`~casuistry.presentation.html`: the one way HTML is made (Jinja,
  autoescaped) and the pages' security policy.
"""
