// name: agreements_between_countries
// doc: Agreements with a party in one country and another party in the other (give the same
//      country twice for agreements between two of its organisations), with their type, date
//      and parties, oldest first (undated ones last); the first limit of them, each row with the
//      total number.
// params: country_a:country, country_b:country, limit:integer=100
// Reads the load-time summary country_pairs (graph/cypher/summaries.py): "A|B" for each ordered
// pair of distinct parties, indexed element by element.
MATCH (a:Agreement)
WHERE ($country_a + '|' + $country_b) IN a.country_pairs
WITH count(a) AS total
MATCH (a:Agreement)
WHERE ($country_a + '|' + $country_b) IN a.country_pairs
WITH a, total
ORDER BY coalesce(a.date_from, '9999'), a.id
LIMIT $limit
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, total, p
ORDER BY p.id
WITH a, total, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.title AS title, parties, total
ORDER BY coalesce(a.date_from, '9999'), agreement
