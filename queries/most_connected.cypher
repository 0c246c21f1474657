// name: most_connected
// doc: The most connected organisations of a country: how many distinct partners each has
//      and in how many agreements, most partners first; the first limit of them, each row with
//      the number of the country's organisations that have a partner.
// params: country:country, limit:integer=10
// Reads the load-time summaries (graph/cypher/summaries.py): partner_count, partnered_count (the
// agreements with another party).
MATCH (o:Organization {country: $country})
WHERE o.partner_count > 0
WITH count(o) AS total
MATCH (o:Organization {country: $country})
WHERE o.partner_count > 0
RETURN o.id AS organization, o.name AS name, o.partner_count AS partners, o.partnered_count AS agreements, total
ORDER BY partners DESC, agreements DESC, organization
LIMIT $limit
