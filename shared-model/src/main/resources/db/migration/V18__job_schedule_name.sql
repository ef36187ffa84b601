-- Job events name the schedule that started a job (data.scheduleName): the name is kept on the job
-- as it was when the schedule fired, so renaming or deleting the schedule later does not change
-- what a job's events said.
ALTER TABLE backup_job ADD COLUMN schedule_name varchar(100);

UPDATE backup_job j
   SET schedule_name = s.name
  FROM schedule_firing f
  JOIN backup_schedule s ON s.id = f.schedule_id
 WHERE f.id = j.schedule_firing_id;
