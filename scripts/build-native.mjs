#!/usr/bin/env node
/**
 * Builds the native backend's addon (native/ -> native/build/Release/gblend_native.node)
 * with node-gyp. Run by `npm install` / `npm ci` (the package's "install" script) and
 * by `npm run build:native`.
 *
 * It never fails the install: without libtorch, or when the build fails, it prints one
 * warning line (the build log goes to native/build-native.log) and exits 0; gblend then
 * runs on WASM.
 *
 * libtorch: Debian's libtorch-dev in the system paths by default; LIBTORCH=/path names
 * another one (a directory with include/ATen/ATen.h and lib/libtorch_cpu.so, as in the
 * libtorch zip from pytorch.org: take its cxx11-ABI build). GBLEND_SKIP_NATIVE=1 skips
 * the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const nativeDir = join(root, 'native');
const logFile = join(nativeDir, 'build-native.log');
const FALLBACK = 'gblend will use the WASM backend';

function warn(message) {
  console.warn(`gblend: warning: native backend not built: ${message}; ${FALLBACK}`);
}

/** { include, lib } for LIBTORCH, {} for a system libtorch, or a reason string. */
function findLibtorch(env) {
  const dir = env.LIBTORCH?.trim();
  if (dir) {
    const include = join(dir, 'include');
    const lib = join(dir, 'lib');
    if (!existsSync(join(include, 'ATen', 'ATen.h'))) return `LIBTORCH=${dir} has no include/ATen/ATen.h`;
    if (!['libtorch_cpu.so', 'libtorch_cpu.dylib'].some((f) => existsSync(join(lib, f)))) return `LIBTORCH=${dir} has no lib/libtorch_cpu.so`;
    return { include, lib };
  }
  if (existsSync('/usr/include/ATen/ATen.h')) return {};
  return 'libtorch not found (apt install libtorch-dev, or set LIBTORCH=/path/to/libtorch)';
}

/** node-gyp: the one npm runs scripts with, a local install, or the one bundled with npm. */
function findNodeGyp(env) {
  const candidates = [
    env.npm_config_node_gyp,
    (() => {
      try {
        return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
      } catch {
        return undefined;
      }
    })(),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function main() {
  const env = process.env;
  if (env.GBLEND_SKIP_NATIVE === '1') {
    warn('skipped (GBLEND_SKIP_NATIVE=1)');
    return;
  }
  const torch = findLibtorch(env);
  if (typeof torch === 'string') {
    warn(torch);
    return;
  }
  const nodeGyp = findNodeGyp(env);
  if (nodeGyp === null) {
    warn('node-gyp not found (it comes with npm)');
    return;
  }
  const prefix = dirname(dirname(process.execPath));
  const common = ['--directory', nativeDir];
  // Local Node headers spare node-gyp a download (and work offline).
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) common.push(`--nodedir=${prefix}`);
  const variables = [];
  if (torch.include) variables.push(`-Dlibtorch_include=${torch.include}`, `-Dlibtorch_lib=${torch.lib}`);
  const steps = [
    ['configure', ...common, '--', ...variables],
    ['build', ...common, '--jobs=max'],
  ];
  let log = '';
  for (const args of steps) {
    const run = spawnSync(process.execPath, [nodeGyp, ...args], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
    log += `$ node-gyp ${args.join(' ')}\n${run.stdout ?? ''}${run.stderr ?? ''}\n`;
    if (run.status !== 0) {
      writeFileSync(logFile, log);
      // A stale addon from an earlier build must not outlive a failed one.
      rmSync(join(nativeDir, 'build', 'Release', 'gblend_native.node'), { force: true });
      const error = `${run.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l) && !/^gyp ERR!/.test(l));
      warn(`node-gyp ${args[0]} failed${error ? ` (${error.trim().slice(0, 160)})` : ''}, see native/build-native.log`);
      return;
    }
  }
  writeFileSync(logFile, log);
  console.log(`gblend: native backend built (${torch.include ? `LIBTORCH=${env.LIBTORCH}` : 'system libtorch'})`);
}

try {
  main();
} catch (err) {
  warn(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}
