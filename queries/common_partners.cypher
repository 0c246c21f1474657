// name: common_partners
// doc: Organisations that have agreements with both of two organisations, with how many
//      agreements each has with either; most first.
// params: org:organization, other:organization
MATCH (x:Organization {id: $org})-[:PARTY_TO]->(a1:Agreement)<-[:PARTY_TO]-(c:Organization)
WHERE c <> x
WITH c, count(DISTINCT a1) AS with_org
MATCH (c)-[:PARTY_TO]->(a2:Agreement)<-[:PARTY_TO]-(y:Organization {id: $other})
WHERE c <> y
RETURN c.id AS partner, c.name AS name, c.country AS country, with_org, count(DISTINCT a2) AS with_other
ORDER BY with_org + with_other DESC, partner
