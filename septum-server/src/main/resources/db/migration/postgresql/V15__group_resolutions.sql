-- Issue 15: the resolution snapshot (every dynamic group's members, source, age and last failure,
-- as JSON) a build planned from. Analyses, drift and counters of a stored version or workspace
-- build replay it instead of asking the sources again, so they see exactly what was reviewed.
CREATE TABLE version_resolutions (
    version_id BIGINT PRIMARY KEY REFERENCES policy_versions(id),
    resolution TEXT   NOT NULL
);

CREATE TABLE workspace_resolutions (
    workspace_id BIGINT PRIMARY KEY REFERENCES workspaces(id),
    revision     BIGINT NOT NULL,
    resolution   TEXT   NOT NULL
);
