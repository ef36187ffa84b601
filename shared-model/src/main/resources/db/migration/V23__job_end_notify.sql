-- A job that reaches an end status announces it on the channel 'kanbu_job_end' (payload: the job
-- id), delivered when the transaction commits. The gateway LISTENs there so that a request waiting
-- for its job (?wait=) answers at once instead of at its next look at the catalog. Every path that
-- ends a job (worker, reaper, cancel) is covered, because it is the row that announces.
CREATE FUNCTION announce_job_end() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('kanbu_job_end', NEW.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER backup_job_end_announced
    AFTER UPDATE OF status ON backup_job
    FOR EACH ROW
    WHEN (NEW.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION announce_job_end();
