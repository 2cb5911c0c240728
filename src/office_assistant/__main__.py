"""`python -m office_assistant` runs the command line."""

import sys

from office_assistant.cli import main

sys.exit(main())
