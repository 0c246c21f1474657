// name: agreements_between_countries
// doc: Agreements with a party in one country and another party in the other (give the same
//      country twice for agreements between two of its organisations), with their type, date
//      and parties, oldest first (undated ones last).
// params: country_a:country, country_b:country
MATCH (x:Organization {country: $country_a})-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(y:Organization {country: $country_b})
WHERE x <> y
WITH DISTINCT a
MATCH (p:Organization)-[:PARTY_TO]->(a)
WITH a, p
ORDER BY p.id
WITH a, collect(p.id) AS parties
RETURN a.id AS agreement, a.type AS type, a.date AS date, a.title AS title, parties
ORDER BY coalesce(a.date_from, '9999'), agreement
