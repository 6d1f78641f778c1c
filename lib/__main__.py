"""`python -m lib …`: the command line of SPEC.md section 7."""

import sys

from lib.cli import main

sys.exit(main())
