-- The admin panel's actions go into the meeting log too: "kicked", "closed" and "notice", whose
-- reason holds the notice's text (up to 500 characters).
ALTER TABLE meeting_log ALTER COLUMN reason SET DATA TYPE VARCHAR(2000);
