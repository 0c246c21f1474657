// name: timeline
// doc: An organisation's timeline: each agreement it is party to, oldest first (undated ones
//      last), with its type, date (signed, else announced, else start), the last day it is in
//      force where known, and the other parties.
// params: org:organization
MATCH (o:Organization {id: $org})-[:PARTY_TO]->(a:Agreement)
OPTIONAL MATCH (a)<-[:PARTY_TO]-(p:Organization)
WHERE p <> o
WITH a, p
ORDER BY p.id
WITH a, collect(p.id) AS partners
RETURN a.date AS date, a.id AS agreement, a.type AS type, a.title AS title, a.expires AS expires, partners
ORDER BY coalesce(a.date_from, '9999'), agreement
