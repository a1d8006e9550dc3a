/** The exported page's HTML: a shell that app.js fills in. Pure: `gblend export` writes it as index.html. */

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 1em 1.5em; max-width: 1100px; color: #1d1d1f; }
h1 { font-size: 1.5em; margin: 0.2em 0; } h2 { font-size: 1.2em; margin-top: 1.2em; } h3 { font-size: 1em; margin: 0.3em 0; }
.small, .hint { color: #666; font-size: 0.9em; }
#inputs { display: flex; flex-wrap: wrap; gap: 1em; }
.input-box { border: 1px solid #ddd; border-radius: 8px; padding: 0.8em; background: #fafafa; max-width: 330px; }
.row { display: flex; align-items: center; gap: 0.5em; margin: 0.4em 0; }
#pad { background: #fff; border: 1px solid #999; border-radius: 4px; touch-action: none; cursor: crosshair; width: 280px; height: 280px; }
canvas.preview { width: 84px; height: 84px; image-rendering: pixelated; border: 1px solid #ccc; }
#toggles label { margin-right: 1.2em; }
#downloads button { margin-right: 0.5em; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
th { background: #f3f3f3; }
table.probs td { background: linear-gradient(to top, rgba(31,119,180,0.35) calc(var(--p) * 100%), transparent 0); }
td.top { font-weight: bold; }
tr.chosen th { background: #e3f0e3; }
.verdict { font-size: 1.15em; }
.big { font-size: 1.6em; font-weight: bold; }
#error { color: #b00020; min-height: 1.2em; }
button { font: inherit; padding: 0.25em 0.8em; }
`;

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function pageHtml(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body data-state="loading">
<h1>${escape(title)}</h1>
<p class="small">A multi-modal classifier trained with gblend, running in this page (TensorFlow.js; nothing is sent anywhere).</p>
<section><h2>Inputs</h2><div id="inputs"></div>
<p id="toggles"><span class="small">Leave a modality out: </span></p>
<p id="downloads"><span class="small">Download the model's inputs, to check the same example with <code>gblend predict</code></span></p></section>
<p id="error" role="alert"></p>
<section><h2>Predictions</h2><div id="results"><p class="hint">Loading the model…</p></div></section>
<section id="about"></section>
<script type="module" src="./app.js"></script>
</body></html>
`;
}
