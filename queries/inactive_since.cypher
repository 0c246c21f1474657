// name: inactive_since
// doc: Organisations with no agreement dated on or after a day (a date known only to the month
//      or year counts as possibly after when it covers that day), with the date of their last
//      dated agreement (empty when they have none), how many agreements they have, and which
//      case it is: never (no agreement at all), stopped (the last dated agreement is before the
//      day) or undated (agreements, none of them dated). Undated agreements are not activity.
// params: since:date
// last: the latest date, a month or year counting as its end ('2017-06' sorts as '2017-06-31',
// after every day of June); the SPARQL twin sorts by the same key.
MATCH (o:Organization)
OPTIONAL MATCH (o)-[:PARTY_TO]->(a:Agreement)
WITH o, max(a.date_to) AS last_day, count(a) AS agreements,
     max(a.date + substring('-12-31', coalesce(size(a.date), 4) - 4) + '|' + a.date) AS last_key
WHERE last_day IS NULL OR last_day < $since
RETURN o.id AS organization, o.name AS name, o.country AS country, split(last_key, '|')[1] AS last, agreements,
       CASE WHEN agreements = 0 THEN 'never' WHEN last_key IS NULL THEN 'undated' ELSE 'stopped' END AS status
ORDER BY coalesce(last_day, ''), organization
