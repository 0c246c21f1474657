// name: most_connected
// doc: The most connected organisations of a country: how many distinct partners each has
//      and in how many agreements, most partners first.
// params: country:country, limit:integer=10
MATCH (o:Organization {country: $country})-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(p:Organization)
WHERE p <> o
RETURN o.id AS organization, o.name AS name, count(DISTINCT p) AS partners, count(DISTINCT a) AS agreements
ORDER BY partners DESC, agreements DESC, organization
LIMIT $limit
