// name: find_organization
// doc: Organisations whose name, a name in another language or an alias contains a text
//      (ignoring case), with their id and country: the way to find the id other queries take.
//      By id; the first limit of them, each row with the total number found.
//      Neo4j version: the full-text index organization_names (name, aliases, names) finds the
//      organisations with a word starting with each word of the text (Lucene's analyzer decides
//      what a word is), instead of scanning every organisation; the text's Lucene special
//      characters are escaped, so it is searched as written.
// params: text:string, limit:integer=50
WITH [word IN split(trim($text), ' ') WHERE word <> ''] AS words
WITH [word IN words |
      reduce(escaped = word, special IN ['\\', '+', '-', '&', '|', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/'] |
             replace(escaped, special, '\\' + special)) + '*'] AS terms
WHERE size(terms) > 0
CALL db.index.fulltext.queryNodes('organization_names', reduce(q = '', t IN terms | q + CASE q WHEN '' THEN '' ELSE ' AND ' END + t))
YIELD node
WITH collect(node) AS found
UNWIND found AS o
WITH o, size(found) AS total
ORDER BY o.id
LIMIT $limit
RETURN o.id AS organization, o.name AS name, o.country AS country, total
