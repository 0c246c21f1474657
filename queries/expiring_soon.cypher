// name: expiring_soon
// doc: Agreements whose last day in force (by their end date, else start plus term) falls
//      between today and until (both included; a month or a year means its first day for today,
//      its last for until), and that no other agreement renews or supersedes, soonest first,
//      with their type, date and parties.
// params: today:date, until:date
// Compared as integers yyyymmdd (expires_day): "2025-09" is 20250900 as today, 20250999 as until.
MATCH (a:Agreement)
WHERE a.expires_day >= toInteger(left(replace($today, '-', '') + '0000', 8))
  AND a.expires_day <= toInteger(left(replace($until, '-', '') + '9999', 8))
  AND NOT (a)<-[:RENEWS|SUPERSEDES]-(:Agreement)
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, p
ORDER BY p.id
WITH a, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.expires AS expires, parties
ORDER BY expires, agreement
