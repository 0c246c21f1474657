// name: partners
// doc: The partners of an organisation: every other party to an agreement it is party to, with
//      how many agreements they share and the first and last date of those agreements (signed,
//      else announced, else start; ISO text at the precision the source gave; empty when none is
//      dated), the latest first.
// params: org:organization
MATCH (o:Organization {id: $org})-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(p:Organization)
WHERE p <> o
WITH p, count(DISTINCT a) AS agreements, min(a.date) AS first_date, max(a.date) AS last_date
RETURN p.id AS partner, p.name AS name, p.country AS country, agreements,
       first_date AS first, last_date AS last
ORDER BY coalesce(last_date, '') DESC, partner
