// name: agreements_in_period
// doc: Agreements dated in a period (since and until included; each may be a year, a month or
//      a day). The date is the signing date, else the announcement, else the start; a date known
//      only to the month or year counts when the period covers any day it can mean. Oldest first;
//      the first limit of them, each row with the total number in the period.
// params: since:date, until:date, limit:integer=100
// The days are compared as integers yyyymmdd (day_from, day_to): "2017-06" as a start is
// 20170600, as an end 20170699. A date spans at most a year, so day_from >= first - 10000 holds
// for every match and keeps the index range short. One pass over the range: the matches are
// sorted and collected, the first limit kept (half the time of counting in a second pass).
MATCH (a:Agreement)
WHERE a.day_from >= toInteger(left(replace($since, '-', '') + '0000', 8)) - 10000
  AND a.day_from <= toInteger(left(replace($until, '-', '') + '9999', 8))
  AND a.day_to >= toInteger(left(replace($since, '-', '') + '0000', 8))
WITH a
ORDER BY a.day_from, a.id
WITH collect(a) AS found
UNWIND found[0..$limit] AS a
WITH a, size(found) AS total
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, total, p
ORDER BY p.id
WITH a, total, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.title AS title, parties, total
ORDER BY a.day_from, agreement
