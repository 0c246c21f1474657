// name: agreements_by_programme
// doc: The agreements made under a programme (such as JETRO's Regional Industry Tie-Up),
//      oldest first, with their type, date and parties.
// params: programme:programme
MATCH (a:Agreement)-[:UNDER_PROGRAMME]->(:Programme {id: $programme})
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, p
ORDER BY p.id
WITH a, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.title AS title, parties
ORDER BY coalesce(a.date_from, '9999'), agreement
