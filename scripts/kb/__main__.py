"""`python -m kb` (from scripts/) is `python scripts/kb.py`."""

import sys

from .cli import main

sys.exit(main())
