-- Issue 18: several servers share one PostgreSQL (docs/high-availability.md). Each run records the
-- server working on it (node: host/pid, as /api/health names it) and when that server last said
-- it still is (heartbeat_at, ISO-8601 UTC, renewed every RecommendationRuns.HEARTBEAT). A starting
-- server fails only its own unfinished runs and those whose heartbeat is older than
-- RecommendationRuns.STALE, never a run a live server is working on. Runs from before this
-- migration have neither and count as stale.
ALTER TABLE recommendation_runs ADD COLUMN node VARCHAR(255);
ALTER TABLE recommendation_runs ADD COLUMN heartbeat_at VARCHAR(40);
