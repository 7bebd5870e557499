"""YouTube Data API v3 and Analytics API v2 through Google's official client."""
