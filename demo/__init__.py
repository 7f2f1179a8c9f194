"""The offline demo: a written-for-the-purpose corpus, a local feed server, local receivers.

``make demo`` runs veille against these instead of the Internet: ``server.DemoFeedServer``
serves the corpus as RSS feeds and article pages, released in steps; ``receivers`` stands
in for Slack (a JSON webhook) and for an SMTP server. Tests reuse all three.
"""
