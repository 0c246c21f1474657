// name: expiring_soon
// doc: Agreements whose last day in force (by their end date, else start plus term) falls
//      between today and until (both included; a month or a year means its first day for today,
//      its last for until), and that no other agreement renews or supersedes, soonest first,
//      with their type, date and parties; the first limit of them, each row with the total.
// params: today:date, until:date, limit:integer=100
// Compared as integers yyyymmdd (expires_day): "2025-09" is 20250900 as today, 20250999 as until.
// superseded: a load-time summary (graph/cypher/summaries.py), true when an agreement RENEWS or
// SUPERSEDES this one; testing the pattern for each agreement in the range took most of the time.
MATCH (a:Agreement)
WHERE a.expires_day >= toInteger(left(replace($today, '-', '') + '0000', 8))
  AND a.expires_day <= toInteger(left(replace($until, '-', '') + '9999', 8))
  AND a.superseded IS NULL
WITH count(a) AS total
MATCH (a:Agreement)
WHERE a.expires_day >= toInteger(left(replace($today, '-', '') + '0000', 8))
  AND a.expires_day <= toInteger(left(replace($until, '-', '') + '9999', 8))
  AND a.superseded IS NULL
WITH a, total
ORDER BY a.expires_day, a.id
LIMIT $limit
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, total, p
ORDER BY p.id
WITH a, total, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.expires AS expires, parties, total
ORDER BY expires, agreement
