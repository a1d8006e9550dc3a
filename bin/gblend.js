#!/usr/bin/env node
// The `gblend` command. A committed file rather than the compiled dist/src/cli/main.js, because
// every rebuild of dist (npm test, npm run build) rewrites that file without its executable bit.
import '../dist/src/cli/main.js';
