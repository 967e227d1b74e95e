"""`python -m slackbot` does what the `slackbot` console script does."""

from slackbot.cli import main

raise SystemExit(main())
