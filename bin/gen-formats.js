#!/usr/bin/env node
// Writes docs/formats/ from the schemas (run `npm run build` first; `npm run docs:formats` does both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateFormatDocs } from '../dist/data/formats-doc.js';

const dir = new URL('../docs/formats/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, content] of Object.entries(generateFormatDocs())) writeFileSync(new URL(name, dir), content);
console.log(`wrote ${Object.keys(generateFormatDocs()).length} files to docs/formats/`);
