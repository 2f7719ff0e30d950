/*
 * `npm run build:web`: bundles the verifier page into web/dist/ (after `hardhat run` has compiled
 * the contracts and generated the TypeChain bindings the page imports).
 */
import path from "node:path";

import { buildWebPage } from "../support/web-page.js";

const { outFile, bytes } = await buildWebPage();
console.log(`built ${path.relative(process.cwd(), outFile)} (${(bytes / 1024).toFixed(0)} KiB)`);
