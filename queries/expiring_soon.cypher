// name: expiring_soon
// doc: Agreements whose last day in force (by their end date, else start plus term) falls
//      within a number of days from a day (both included), and that no other agreement renews
//      or supersedes, soonest first, with their parties.
// params: today:date, days:integer
// Compared as integers yyyymmdd (expires_day); a today given as a month or year means its first day.
MATCH (a:Agreement)
WHERE a.expires_day >= toInteger(left(replace($today, '-', '') + '0101', 8))
  AND a.expires_day <= toInteger(replace(toString(date($today) + duration({days: $days})), '-', ''))
  AND NOT (a)<-[:RENEWS|SUPERSEDES]-(:Agreement)
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, p
ORDER BY p.id
WITH a, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.expires AS expires, parties
ORDER BY expires, agreement
