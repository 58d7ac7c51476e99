-- Issue 12: Policy Builder runs, started by POST /api/recommendations and polled by id. A run is
-- queued, running (with a progress line), done (result: its proposal as JSON, with its rule count
-- and whether its guarantees hold, 1 or 0, for the list) or failed (error:
-- status, field, problem and fix as JSON). Runs unfinished when the server stopped are marked
-- failed at the next start. The newest runs are kept (RecommendationRuns.KEPT); a result is at
-- most RecommendationRuns.MAX_RESULT_CHARS.
CREATE TABLE recommendation_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by   VARCHAR(128) NOT NULL,
    created_at   VARCHAR(40)  NOT NULL,
    finished_at  VARCHAR(40),
    status       VARCHAR(16)  NOT NULL,
    progress     VARCHAR(255) NOT NULL,
    version_id   BIGINT,
    workspace_id BIGINT,
    revision     BIGINT       NOT NULL,
    label        VARCHAR(255) NOT NULL,
    request      TEXT         NOT NULL,
    rule_count   INTEGER,
    holds        INTEGER,
    result       TEXT,
    error        TEXT
);
