// name: partners
// doc: The partners of an organisation: one row for each partner and each agreement they are
//      both party to, with the agreement's id, type and date (signed, else announced, else
//      start; ISO text at the precision the source gave), the latest first.
// params: org:organization
MATCH (o:Organization {id: $org})-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(p:Organization)
WHERE p <> o
RETURN p.id AS partner, p.name AS name, p.country AS country,
       a.id AS agreement, a.type AS type, a.date AS date
ORDER BY coalesce(a.date_from, '') DESC, partner, agreement
