-- The BENCH_DATA=text database of bench/pipeline.sh: an application's kind of data, text that
-- gzip -6 shrinks about 8x (pgbench's blank-padded rows shrink 35x, so a compressor barely
-- matters there). Run with psql -v rows=N (33,000 rows per BENCH_SCALE unit: scale 100 is 3.3
-- million tasks, about 1.2 GB on disk and a 1.09 GB dump).
--
-- 100,000 phrases of 4-15 words drawn at random from a small vocabulary; every task takes a title
-- and three description sentences from phrases chosen by multiplicative hashing of its id, an md5
-- token, a timestamp and an amount. Rows repeat only 100,000 tasks (about 35 MB) apart, beyond
-- gzip's 32 KiB window and zstd -3's.
CREATE TEMPORARY TABLE word AS
  SELECT string_to_array(
    'task board project sprint deadline review comment member owner label priority '
    || 'backlog release milestone estimate blocked urgent customer invoice meeting design '
    || 'api database migration backup restore deploy server client browser mobile login '
    || 'report chart export import schedule reminder calendar team invite archive draft '
    || 'the a an of to and in for on with by from at as is was will should must can '
    || 'update create delete fix add remove improve check verify test write read move '
    || 'january february march april may june july august september october november '
    || 'december monday tuesday wednesday thursday friday weekly daily monthly quarter '
    || 'alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent',
    ' ') AS a;
CREATE TABLE phrase AS
  SELECT i AS id,
         (SELECT string_agg(word.a[1 + floor(random() * cardinality(word.a))::int], ' ')
            FROM generate_series(1, 4 + (i % 12)) AS k, word) AS text
    FROM generate_series(0, 99999) AS i;
CREATE TABLE task AS
  SELECT g AS id,
         g % 4000 AS project_id,
         t.text AS title,
         d1.text || '. ' || d2.text || '. ' || d3.text || '.' AS description,
         (ARRAY['todo', 'doing', 'review', 'done'])[1 + g % 4] AS status,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '7 seconds' AS created_at,
         md5(g::text) AS token,
         round((random() * 10000)::numeric, 2) AS estimate
    FROM generate_series(1::bigint, :rows) AS g
    JOIN phrase t ON t.id = (g * 7919) % 100000
    JOIN phrase d1 ON d1.id = (g * 104729) % 100000
    JOIN phrase d2 ON d2.id = (g * 1299709) % 100000
    JOIN phrase d3 ON d3.id = (g * 15485863) % 100000;
ALTER TABLE task ADD PRIMARY KEY (id);
CREATE TABLE bench_data (kind text, rows bigint);
INSERT INTO bench_data VALUES ('text', :rows);
