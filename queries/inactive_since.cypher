// name: inactive_since
// doc: Organisations with no agreement dated on or after a day (a date known only to the month
//      or year counts as possibly after when it covers that day), with the date of their last
//      dated agreement (empty when they have none) and how many agreements they have. Undated
//      agreements are not counted as activity.
// params: since:date
MATCH (o:Organization)
OPTIONAL MATCH (o)-[:PARTY_TO]->(a:Agreement)
WITH o, max(a.date_to) AS last_day, count(a) AS agreements
WHERE last_day IS NULL OR last_day < $since
OPTIONAL MATCH (o)-[:PARTY_TO]->(l:Agreement)
WHERE l.date_to = last_day
WITH o, last_day, agreements, min(l.date) AS last
RETURN o.id AS organization, o.name AS name, o.country AS country, last, agreements
ORDER BY coalesce(last_day, ''), organization
