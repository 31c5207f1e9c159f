"""``python -m casuistry.cli``: the ``casuistry`` command (``python -m casuistry``
settles the process before numpy loads; see :mod:`casuistry.program`)."""

import sys

from casuistry.program import main

sys.exit(main())
