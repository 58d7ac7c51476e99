-- Issue 15: the members last pushed for each dynamic group with a push source (the JSON list a
-- member file holds). Kept across restarts; a refresh or build reads them like any source's answer.
CREATE TABLE pushed_members (
    group_name VARCHAR(128) PRIMARY KEY,
    members    TEXT         NOT NULL,
    pushed_by  VARCHAR(64)  NOT NULL,
    pushed_at  VARCHAR(40)  NOT NULL
);
