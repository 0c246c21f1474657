#!/usr/bin/env node
// Checks Cypher files with Neo4j's own linter (@neo4j-cypher/language-support), offline.
//
//   node tools/cypher-lint/lint.mjs [--schema schema.json] FILE.cypher...
//
// Each file's `// params: name:type, ...` header declares its parameters; any other
// parameter is an error. The query is linted as Cypher 5 against Neo4j's built-in
// functions and procedures (the list the package ships); with --schema (a JSON object
// with labels, relationshipTypes and propertyKeys), labels and types outside it are
// flagged too. Every diagnostic, warning or error, is printed as file:line:column and
// makes the exit code 1.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const SAMPLE = { integer: 1, date: '2020-01-01', country: 'JP' };

function declaredParameters(text) {
  const parameters = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('//')) break;
    const match = line.match(/^\/\/\s*params:\s*(.*)$/);
    if (!match) continue;
    for (const item of match[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      const [name, type] = item.split('=')[0].split(':').map((s) => s.trim());
      parameters[name] = SAMPLE[type] ?? 'text';
    }
  }
  return parameters;
}

const args = process.argv.slice(2);
let schema = {};
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--schema') schema = JSON.parse(readFileSync(args[++i], 'utf8'));
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: lint.mjs [--schema schema.json] FILE.cypher...');
  process.exit(2);
}

const { functions, procedures } = testData.mockSchema;
let problems = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const dbSchema = {
    functions,
    procedures,
    defaultLanguage: 'CYPHER 5',
    parameters: declaredParameters(text),
    ...(schema.labels ? { labels: schema.labels, relationshipTypes: schema.relationshipTypes ?? [] } : {}),
    ...(schema.propertyKeys ? { propertyKeys: schema.propertyKeys } : {}),
  };
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  for (const d of diagnostics) {
    const kind = d.severity === 1 ? 'error' : 'warning';
    console.log(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${kind}: ${d.message}`);
    problems++;
  }
}
if (problems) {
  console.log(`${problems} problem${problems === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`ok: ${files.length} file${files.length === 1 ? '' : 's'} pass Neo4j's Cypher 5 linter`);
