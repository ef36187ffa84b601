-- Workers take commands with basic.get, so the broker never lists them as consumers of the jobs
-- queue. Each worker says here that it is alive instead (issue 10): the gateway counts those seen
-- lately as kanbu_backup_workers, and an alert fires when none is.

CREATE TABLE worker_heartbeat (
    worker_id     varchar(200)  PRIMARY KEY,
    slots         integer       NOT NULL CHECK (slots >= 1),
    started_at    timestamptz   NOT NULL,
    last_seen_at  timestamptz   NOT NULL
);
