"""``python -m casuistry``: the ``casuistry`` command."""

import sys

from casuistry.program import main

sys.exit(main())
