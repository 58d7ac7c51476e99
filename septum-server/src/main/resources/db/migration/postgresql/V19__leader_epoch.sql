-- Issue 18: several servers share one PostgreSQL; one at a time leads (runs change controls and
-- polling). Each new leader takes the next epoch; a change control is claimed by the epoch that
-- runs it, and every write of the run is fenced by that claim, so a deposed leader's late writes
-- change nothing and no change control runs under two leaders.
CREATE TABLE cluster_leader (
    id     INTEGER      PRIMARY KEY CHECK (id = 1),
    epoch  BIGINT       NOT NULL,
    node   VARCHAR(255) NOT NULL,
    since  VARCHAR(40)  NOT NULL
);
INSERT INTO cluster_leader (id, epoch, node, since) VALUES (1, 0, '', '');
-- NULL: asked to run, not yet picked up by a leader
ALTER TABLE change_controls ADD COLUMN leader_epoch BIGINT;
