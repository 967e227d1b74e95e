"""The bot's machinery, apart from the use cases: worker lanes that run deferred work from the
durable inbox, and the refresher that redraws posts, sends notices and republishes Home tabs
in the background, each within its Slack budget. The bootstrap builds them and hands them the
use cases' functions; no use case builds or drives them."""
