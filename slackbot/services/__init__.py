"""Use cases that join the community-week rules to Slack: post, notify, reconcile."""
