"""`python -m office_assistant` runs the command line."""

import sys

from office_assistant_local.cli import main

sys.exit(main())
