// name: find_organization
// doc: Organisations whose name, a name in another language or an alias contains a text
//      (ignoring case), with their id and country: the way to find the id other queries take.
//      By id; the first limit of them, each row with the total number found.
//      FalkorDB version: one text per organisation to scan, search_text (name, names and aliases,
//      written at load time), instead of three lists; the same answers as the SPARQL twin.
// params: text:string, limit:integer=50
MATCH (o:Organization)
WHERE toLower(o.search_text) CONTAINS toLower($text)
WITH collect(o) AS found
UNWIND found AS o
WITH o, size(found) AS total
ORDER BY o.id
LIMIT $limit
RETURN o.id AS organization, o.name AS name, o.country AS country, total
