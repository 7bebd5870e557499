"""YouTube Reporting API reach reports (impressions and CTR per video and Pacific day)."""
