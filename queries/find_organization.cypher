// name: find_organization
// doc: Organisations whose name, a name in another language or an alias contains a text
//      (ignoring case), with their id and country: the way to find the id other queries take.
// params: text:string
MATCH (o:Organization)
WHERE toLower(o.name) CONTAINS toLower($text)
   OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) CONTAINS toLower($text))
   OR any(other IN coalesce(o.names, []) WHERE toLower(other) CONTAINS toLower($text))
RETURN o.id AS organization, o.name AS name, o.country AS country
ORDER BY organization
