// name: find_organization
// doc: Organisations whose name, a name in another language or an alias contains a text
//      (ignoring case), with their id and country: the way to find the id other queries take.
//      By id; the first limit of them, each row with the total number found.
// params: text:string, limit:integer=50
MATCH (o:Organization)
WHERE toLower(o.name) CONTAINS toLower($text)
   OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) CONTAINS toLower($text))
   OR any(other IN coalesce(o.names, []) WHERE toLower(other) CONTAINS toLower($text))
WITH collect(o) AS found
UNWIND found AS o
WITH o, size(found) AS total
ORDER BY o.id
LIMIT $limit
RETURN o.id AS organization, o.name AS name, o.country AS country, total
