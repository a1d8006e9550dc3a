/**
 * The tensor backend in a browser: WebGL where the GPU is usable, else WASM (its .wasm files served
 * from `wasmPath`, by default beside the page), else the plain JavaScript cpu backend. In Node the
 * WebGL backend cannot start, so the same code runs on WASM there.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type WebBackend = 'webgl' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Backends to try, in order (default: webgl, wasm, cpu; wasm first where WebGL is drawn by the CPU). */
  prefer?: WebBackend[];
  /** Folder URL of tfjs-backend-wasm's .wasm files, ending in '/'; default: beside the page (browser only). */
  wasmPath?: string;
}

const inBrowser = (): boolean => typeof window !== 'undefined' && typeof document !== 'undefined';

/**
 * Whether the page's WebGL is drawn by the CPU (SwiftShader, llvmpipe: a machine or browser without
 * a usable GPU). There, WebGL only emulates a GPU: an avdigits model took 24 ms an example on it
 * against 0.4 ms on WASM in headless Chromium (bench/web-latency.ts).
 */
function softwareWebgl(): boolean {
  if (!inBrowser()) return false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
    if (gl === null) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

/**
 * Sets the first backend of `prefer` that starts, and returns its name. By default WebGL, then WASM,
 * then cpu; WASM first where WebGL runs on the CPU.
 */
export async function initBackend(options: BackendOptions = {}): Promise<WebBackend> {
  const prefer = options.prefer ?? (softwareWebgl() ? ['wasm', 'webgl', 'cpu'] : ['webgl', 'wasm', 'cpu']);
  // Node's WASM backend finds its files itself; a page needs to be told where they are served.
  if (options.wasmPath !== undefined || inBrowser()) setWasmPaths(options.wasmPath ?? new URL('./', document.baseURI).href);
  for (const name of prefer) {
    if (tf.getBackend() === name) return name;
    // setBackend resolves false (or throws, for some WebGL failures) when the backend cannot start.
    const ok = await tf.setBackend(name).catch(() => false);
    if (ok) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(`gblend/web: none of the backends ${prefer.join(', ')} could start`);
}
