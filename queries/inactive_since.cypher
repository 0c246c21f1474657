// name: inactive_since
// doc: Organisations with no agreement dated on or after a day (a date known only to the month
//      or year counts as possibly after when it covers that day), with the date of their last
//      dated agreement (empty when they have none), how many agreements they have, and which
//      case it is: never (no agreement at all), stopped (the last dated agreement is before the
//      day) or undated (agreements, none of them dated). Undated agreements are not activity.
//      The longest inactive first (never and undated, then by last date), the first
//      limit of them, each row with the total number that match.
// params: since:date, limit:integer=100
// Reads the load-time summaries (graph/cypher/summaries.py): last_day, the last day of the latest
// dated agreement as yyyymmdd (0 when none is dated), indexed; last_date, that agreement's date,
// a month or year counting as its end ('2017-06' after every day of June); the SPARQL twin
// sorts by the same key.
MATCH (o:Organization)
WHERE o.last_day < toInteger(left(replace($since, '-', '') + '0000', 8))
WITH count(o) AS total
MATCH (o:Organization)
WHERE o.last_day < toInteger(left(replace($since, '-', '') + '0000', 8))
RETURN o.id AS organization, o.name AS name, o.country AS country, o.last_date AS last, o.agreement_count AS agreements,
       CASE WHEN o.agreement_count = 0 THEN 'never' WHEN o.last_day = 0 THEN 'undated' ELSE 'stopped' END AS status,
       total
ORDER BY coalesce(o.last_date, ''), organization
LIMIT $limit
