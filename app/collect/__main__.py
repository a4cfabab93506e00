"""``python -m app.collect ...``"""

import sys

from app.collect.cli import main

sys.exit(main())
