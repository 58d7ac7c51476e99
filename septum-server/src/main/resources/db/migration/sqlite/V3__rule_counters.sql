-- Per-rule hit counters read from devices, one row per counter per poll: a time series.
CREATE TABLE rule_counters (
    device     VARCHAR(128) NOT NULL,
    at         VARCHAR(40)  NOT NULL,
    match_name VARCHAR(255) NOT NULL,
    rule       VARCHAR(255) NOT NULL,
    packets    BIGINT       NOT NULL,
    bytes      BIGINT       NOT NULL,
    PRIMARY KEY (device, at, match_name)
);
