/**
 * uPlot's minified script and stylesheet, read from the installed package to be inlined into
 * report.html: the report stays one file that opens offline, with no request for anything beside it.
 *
 * Size: uplot 1.6.32 adds 52,938 bytes to every report (uPlot.iife.min.js 51,081 + uPlot.min.css
 * 1,857), on top of the charts' data and their ~3 kB script. Weighed against the minified builds of
 * the alternatives (npm tarballs, early 2026): Chart.js 4.6.1 chart.umd.min.js 210,082 bytes, with no
 * built-in zoom or bands; ECharts 6.1.0 echarts.min.js 1,121,883 (echarts.simple.min.js 500,315);
 * Plotly plotly-basic.min.js 1,191,749 (plotly.js-basic-dist-min 4.1.1), full 4,834,409. uPlot has
 * what the report needs (legend values on hover, click-to-hide, drag-zoom, bands) at a tenth of the
 * next smallest.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ChartLibrary {
  js: string;
  css: string;
}

let loaded: ChartLibrary | null = null;

export function uplotLibrary(): ChartLibrary {
  if (loaded === null) {
    const require = createRequire(import.meta.url);
    const read = (file: string): string => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
    loaded = { js: read('uPlot.iife.min.js'), css: read('uPlot.min.css') };
  }
  return loaded;
}
