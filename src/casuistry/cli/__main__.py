import sys

from casuistry.cli import main

sys.exit(main())
