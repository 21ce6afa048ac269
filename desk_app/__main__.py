import sys

from desk_app.cli.main import main

sys.exit(main())
