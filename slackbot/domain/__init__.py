"""The community-week rules, in plain modules that know nothing of Slack."""
