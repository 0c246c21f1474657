// name: brokers_between_countries
// doc: Organisations that link two countries: each has agreements with at least one
//      organisation in the first country and one in the second (partners other than itself),
//      with how many partners it has in each; its own country shows whether it is an outsider
//      or belongs to one side. Most partners first; the first limit of them, each row with the
//      total number.
// params: country_a:country, country_b:country, limit:integer=100
// Reads the load-time summaries (graph/cypher/summaries.py): partner_in, the countries of an
// organisation's partners (indexed element by element), and partner_countries, "CC:n" with the
// number of distinct partners in each.
MATCH (o:Organization)
WHERE $country_a IN o.partner_in AND $country_b IN o.partner_in
WITH count(o) AS total
MATCH (o:Organization)
WHERE $country_a IN o.partner_in AND $country_b IN o.partner_in
WITH o, total,
     toInteger(substring([c IN o.partner_countries WHERE c STARTS WITH ($country_a + ':')][0], 3)) AS partners_a,
     toInteger(substring([c IN o.partner_countries WHERE c STARTS WITH ($country_b + ':')][0], 3)) AS partners_b
RETURN o.id AS organization, o.name AS name, o.country AS country, partners_a, partners_b, total
ORDER BY partners_a + partners_b DESC, organization
LIMIT $limit
