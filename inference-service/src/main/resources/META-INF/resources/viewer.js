// Minimal NIfTI-1 slice viewer: the image and the returned segmentation are decoded in the browser
// (DecompressionStream for .gz) and one axial slice at a time is drawn on a canvas. NiiVue is not served as a
// Maven artifact (mvnpm) here, so this page stays dependency-free.
"use strict";
const $ = (id) => document.getElementById(id);
let image = null, seg = null;

async function bytesOf(blob) {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) {
    return new Response(blob.stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }
  return blob.arrayBuffer();
}

function parseNifti(buf) {
  let v = new DataView(buf), le = true;
  if (v.getInt32(0, true) !== 348) { le = false; if (v.getInt32(0, false) !== 348) throw new Error("not a NIfTI-1 file"); }
  const dims = [1, 2, 3].map((i) => v.getInt16(40 + 2 * i, le));
  const type = v.getInt16(70, le), offset = Math.round(v.getFloat32(108, le));
  let slope = v.getFloat32(112, le); const inter = v.getFloat32(116, le);
  if (!slope) slope = 1;
  const n = dims[0] * dims[1] * dims[2], data = new Float32Array(n);
  const readers = { 2: [1, (o) => v.getUint8(o)], 4: [2, (o) => v.getInt16(o, le)], 8: [4, (o) => v.getInt32(o, le)],
    16: [4, (o) => v.getFloat32(o, le)], 64: [8, (o) => v.getFloat64(o, le)], 256: [1, (o) => v.getInt8(o)],
    512: [2, (o) => v.getUint16(o, le)], 768: [4, (o) => v.getUint32(o, le)] };
  const r = readers[type];
  if (!r) throw new Error("NIfTI data type " + type + " is not shown by this viewer");
  for (let i = 0; i < n; i++) data[i] = r[1](offset + i * r[0]) * slope + inter;
  return { nx: dims[0], ny: dims[1], nz: dims[2], data };
}

function draw() {
  if (!image) return;
  const z = +$("slice").value, alpha = +$("alpha").value / 100, c = $("view");
  c.width = image.nx; c.height = image.ny;
  const ctx = c.getContext("2d"), img = ctx.createImageData(image.nx, image.ny), off = z * image.nx * image.ny;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < image.nx * image.ny; i++) { const x = image.data[off + i]; if (x < lo) lo = x; if (x > hi) hi = x; }
  const colors = [[0, 0, 0], [255, 60, 60], [60, 200, 255], [255, 220, 40], [120, 255, 120]];
  for (let y = 0; y < image.ny; y++) {
    for (let x = 0; x < image.nx; x++) {
      const i = y * image.nx + x, o = ((image.ny - 1 - y) * image.nx + x) * 4; // NIfTI y grows upwards
      const g = hi > lo ? (image.data[off + i] - lo) / (hi - lo) * 255 : 0;
      let rgb = [g, g, g];
      const label = seg ? seg.data[off + i] : 0;
      if (label > 0) { const col = colors[label % colors.length] || colors[1]; rgb = rgb.map((v, k) => (1 - alpha) * v + alpha * col[k]); }
      img.data.set([rgb[0], rgb[1], rgb[2], 255], o);
    }
  }
  ctx.putImageData(img, 0, 0);
  $("sliceNo").textContent = (z + 1) + " / " + image.nz;
}

async function run() {
  const files = [...$("files").files];
  if (!files.length) { $("status").textContent = "choose the image file(s) first"; return; }
  files.sort((a, b) => a.name.localeCompare(b.name));
  const form = new FormData();
  files.forEach((f) => form.append("files", f, f.name));
  $("status").textContent = "predicting...";
  const t0 = performance.now();
  const answer = await fetch("v1/tasks/" + encodeURIComponent($("task").value) + "/predictions",
    { method: "POST", body: form, headers: { Authorization: "Bearer " + $("token").value } });
  if (!answer.ok) {
    const body = await answer.text();
    let message = body; try { message = JSON.parse(body).message; } catch (e) { /* not JSON */ }
    $("status").textContent = "error " + answer.status + ": " + message; return;
  }
  image = parseNifti(await bytesOf(files[0]));
  seg = parseNifti(await bytesOf(await answer.blob()));
  $("status").textContent = "model " + answer.headers.get("X-Model-Version") + ", "
    + Math.round(performance.now() - t0) + " ms, " + image.nx + "x" + image.ny + "x" + image.nz;
  $("slice").max = image.nz - 1; $("slice").value = Math.floor(image.nz / 2); $("slice").disabled = false;
  draw();
}

$("run").addEventListener("click", () => run().catch((e) => { $("status").textContent = "error: " + e.message; }));
$("slice").addEventListener("input", draw);
$("alpha").addEventListener("input", draw);
