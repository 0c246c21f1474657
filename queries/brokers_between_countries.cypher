// name: brokers_between_countries
// doc: Organisations that link two countries: each has agreements with at least one
//      organisation in the first country and one in the second (partners other than itself),
//      with how many partners it has in each; its own country shows whether it is an outsider
//      or belongs to one side. Most partners first.
// params: country_a:country, country_b:country
MATCH (x:Organization {country: $country_a})-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(o:Organization)
WHERE x <> o
WITH o, count(DISTINCT x) AS partners_a
MATCH (o)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(y:Organization {country: $country_b})
WHERE y <> o
WITH o, partners_a, count(DISTINCT y) AS partners_b
RETURN o.id AS organization, o.name AS name, o.country AS country, partners_a, partners_b
ORDER BY partners_a + partners_b DESC, organization
