// name: shortest_chain
// doc: The shortest chain of agreements from one organisation to another: the ids along it
//      (organisation, agreement, organisation, ...) and their names, through at most three
//      agreements (no row when there is none that short; the limit is the within column); among
//      chains of one length, the one whose ids come first in alphabetical order.
// params: org:organization, other:organization
MATCH p = (a:Organization {id: $org})-[:PARTY_TO*..6]-(b:Organization {id: $other})
WHERE a <> b
WITH p, length(p) AS hops, reduce(key = '', n IN nodes(p) | key + n.id + ' ') AS key
ORDER BY hops, key
LIMIT 1
RETURN [n IN nodes(p) | n.id] AS chain,
       [n IN nodes(p) | coalesce(n.name, n.title, n.id)] AS names,
       hops / 2 AS agreements, 3 AS within
