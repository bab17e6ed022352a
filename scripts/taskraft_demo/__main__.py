"""Entry point of `python -m taskraft_demo` (see run.py)."""

import sys

from .run import main

sys.exit(main())
