import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonSchemas, schemaFolder } from '../lib/content/json-schemas.js';

for (const [name, schema] of Object.entries(jsonSchemas())) {
  const path = join(schemaFolder, name);
  await writeFile(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
