"""Analytics: tables refreshed by a job, and `/api/analytics` for program indicators."""
