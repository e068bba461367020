"""``python -m iwm_study.data.demo``: write the demonstration dataset."""

from . import main

raise SystemExit(main())
