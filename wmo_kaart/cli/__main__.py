"""`python -m wmo_kaart.cli`."""

import sys

from . import main

sys.exit(main())
