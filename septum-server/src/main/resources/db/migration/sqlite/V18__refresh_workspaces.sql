-- Issue 15: the workspaces a group refresh opened. Each keeps the resolution snapshot (JSON) the
-- refresh compared, so its builds and its submit plan from exactly the members that were reviewed;
-- the groups it changed (one name a line); and the change's name (the workspace's name before a
-- suffix made it unique), which finds the same change when a refresh sees it again. A newer
-- refresh closes an older one that no person has touched and records which workspace superseded it.
CREATE TABLE refresh_workspaces (
    workspace_id  BIGINT PRIMARY KEY REFERENCES workspaces(id),
    version_id    BIGINT NOT NULL REFERENCES policy_versions(id),
    change_name   VARCHAR(128) NOT NULL,
    group_names   TEXT   NOT NULL,
    resolution    TEXT   NOT NULL,
    superseded_by BIGINT REFERENCES workspaces(id)
);
