// name: find_organization
// doc: Organisations whose name, a name in another language or an alias contains a text
//      (ignoring case), with their id and country: the way to find the id other queries take.
//      By id; the first limit of them, each row with the total number found.
//      FalkorDB version: one lower-case text per organisation to scan, search_text (name, names
//      and aliases, written at load time), instead of lower-casing three lists of every
//      organisation; the same answers as the SPARQL twin.
// params: text:string, limit:integer=50
MATCH (o:Organization)
WHERE o.search_text CONTAINS toLower($text)
WITH o.id AS organization, o.name AS name, o.country AS country
ORDER BY organization
WITH collect([organization, name, country]) AS found
UNWIND found[0..$limit] AS row
RETURN row[0] AS organization, row[1] AS name, row[2] AS country, size(found) AS total
